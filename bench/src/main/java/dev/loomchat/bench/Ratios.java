package dev.loomchat.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The ratio table's cells: one server's figure over another's (or over the best of several),
 * from the rows of one run. A row that lost messages does not compare on its rate: its cell
 * says who lost how many instead of a number (a server that delivers 62 of 4 million
 * deliveries a second is not "51,000× slower", it is broken for that row).
 */
final class Ratios {

    private final List<Map<String, Object>> rows;

    /** @param rows the run's rows: {@code server}, {@code scenario}, {@code n} and the figures */
    Ratios(List<Map<String, Object>> rows) {
        this.rows = rows;
    }

    /** {@code a}'s {@code key} over {@code b}'s, as {@code 1.23×}; "–" if either is missing. */
    String of(String a, String b, String scenario, int n, String key) {
        Double x = value(a, scenario, n, key);
        Double y = value(b, scenario, n, key);
        if (x == null || y == null || y == 0) {
            return "–";
        }
        String loss = Stream.of(a, b).map(s -> loss(s, scenario, n)).filter(Objects::nonNull).findFirst().orElse(null);
        return loss != null ? "– (" + loss + ")" : times(x / y);
    }

    /** {@code a}'s {@code key} over the best of the {@code peers} that ran and lost nothing. */
    String toBest(String a, List<String> peers, String scenario, int n, String key) {
        Double x = value(a, scenario, n, key);
        Double best = peers.stream().filter(p -> loss(p, scenario, n) == null).map(p -> value(p, scenario, n, key))
                .filter(v -> v != null && v > 0).max(Double::compare).orElse(null);
        if (x == null || best == null) {
            return "–";
        }
        String loss = loss(a, scenario, n);
        return loss != null ? "– (" + loss + ")" : times(x / best);
    }

    /** "SERVER lost N" if that row lost messages, else null. */
    private String loss(String server, String scenario, int n) {
        Double lost = value(server, scenario, n, "lost");
        return lost != null && lost > 0 ? String.format(Locale.ROOT, "%s lost %,d", server, lost.longValue()) : null;
    }

    private Double value(String server, String scenario, int n, String key) {
        for (Map<String, Object> r : rows) {
            if (server.equals(r.get("server")) && scenario.equals(r.get("scenario")) && Integer.valueOf(n).equals(r.get("n"))
                    && r.get(key) instanceof Number x) {
                return x.doubleValue();
            }
        }
        return null;
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
