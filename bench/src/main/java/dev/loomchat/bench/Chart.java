package dev.loomchat.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** The PNG in BENCHMARKS.md: four panels (echo and room; throughput and p99 against N), plain Java2D. */
final class Chart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final int W = 1200;
    private static final int H = 860;

    private Chart() {
    }

    static void write(List<Map<String, Object>> rows, Path png, String subtitle) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("loomchat bench: throughput and p99 latency against N" + (subtitle.isEmpty() ? "" : " (" + subtitle + ")"), 20, 28);
        List<String> servers = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (!servers.contains((String) r.get("server"))) {
                servers.add((String) r.get("server"));
            }
        }
        panel(g, rows, servers, "echo", "rt_per_s", "echo: round trips/s", false, 20, 50);
        panel(g, rows, servers, "echo", "p99_ms", "echo: p99 ms (log)", true, 610, 50);
        panel(g, rows, servers, "room", "deliveries_per_s", "room: deliveries/s", false, 20, 440);
        panel(g, rows, servers, "room", "p99_ms", "room: p99 ms (log)", true, 610, 440);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, List<Map<String, Object>> rows, List<String> servers, String scenario, String key,
                              String title, boolean logY, int x0, int y0) {
        int pw = 570;
        int ph = 370;
        int left = x0 + 70;
        int right = x0 + pw - 130;
        int top = y0 + 30;
        int bottom = y0 + ph - 40;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, y0 + 18);
        double minN = Double.MAX_VALUE;
        double maxN = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (Map<String, Object> r : rows) {
            if (scenario.equals(r.get("scenario")) && r.get(key) instanceof Number v && v.doubleValue() > 0) {
                double n = ((Number) r.get("n")).doubleValue();
                minN = Math.min(minN, n);
                maxN = Math.max(maxN, n);
                minY = Math.min(minY, v.doubleValue());
                maxY = Math.max(maxY, v.doubleValue());
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        if (maxN == 0) {
            g.drawString("no data", left + 20, top + 30);
            return;
        }
        double lx0 = Math.log10(minN) - 0.1;
        double lx1 = Math.log10(maxN) + 0.1;
        double ly0 = logY ? Math.floor(Math.log10(minY)) : 0;
        double ly1 = logY ? Math.ceil(Math.log10(maxY) + 1e-9) : maxY * 1.1;
        if (ly1 <= ly0) {
            ly1 = ly0 + 1;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int e = (int) Math.floor(lx0); e <= Math.ceil(lx1); e++) {
            if (e < lx0 || e > lx1) {
                continue;
            }
            int x = (int) (left + (e - lx0) / (lx1 - lx0) * (right - left));
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.BLACK);
            g.drawString("N=" + (long) Math.pow(10, e), x - 15, bottom + 15);
        }
        for (int i = 0; i <= 4; i++) {
            double v = logY ? Math.pow(10, ly0 + (ly1 - ly0) * i / 4) : ly1 * i / 4;
            int y = (int) (bottom - (double) i / 4 * (bottom - top));
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, right, y);
            g.setColor(Color.BLACK);
            g.drawString(fmt(v), x0 + 2, y + 4);
        }
        g.setStroke(new BasicStroke(2f));
        int legend = 0;
        for (int s = 0; s < servers.size(); s++) {
            String server = servers.get(s);
            if (rows.stream().noneMatch(r -> server.equals(r.get("server")) && scenario.equals(r.get("scenario")))) {
                continue; // e.g. nats has no echo rows: no legend entry there
            }
            Color c = COLORS[s % COLORS.length]; // by the server's place in the run: the same colour in every panel
            g.setColor(c);
            int px = -1;
            int py = -1;
            for (Map<String, Object> r : rows) {
                if (!servers.get(s).equals(r.get("server")) || !scenario.equals(r.get("scenario"))
                        || !(r.get(key) instanceof Number v) || v.doubleValue() <= 0) {
                    continue;
                }
                double n = ((Number) r.get("n")).doubleValue();
                double yv = logY ? (Math.log10(v.doubleValue()) - ly0) / (ly1 - ly0) : v.doubleValue() / ly1;
                int x = (int) (left + (Math.log10(n) - lx0) / (lx1 - lx0) * (right - left));
                int y = (int) (bottom - yv * (bottom - top));
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(right + 10, top + 10 + legend * 20, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(server, right + 27, top + 21 + legend * 20);
            legend++;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
