package dev.loomchat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The comparison runner ({@code bench/run.sh}): for each server and scenario, starts a fresh
 * server process pinned to one core, drives it from this process (which run.sh pins to the
 * other core), stops it by its PID, and finally writes {@code bench/results/latest/results.json}
 * and {@code .csv}, the chart {@code bench/results/bench.png} and the tables in BENCHMARKS.md
 * between {@code <!-- bench:begin -->} and {@code <!-- bench:end -->}.
 */
final class BenchRunner {

    static final String BEGIN = "<!-- bench:begin -->";
    static final String END = "<!-- bench:end -->";
    static final List<String> ALL_SERVERS = List.of("loomchat-vt", "loomchat-platform", "netty", "python");

    private final Path root;
    private final Map<String, String> f;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final String serverCpu;
    private final Path out;
    private final Path logs;
    private String jfrText;

    private BenchRunner(Path root, Map<String, String> flags) {
        this.root = root;
        this.f = flags;
        this.serverCpu = flags.getOrDefault("server-cpu", "0");
        this.out = root.resolve(flags.getOrDefault("out", "bench/results"));
        this.logs = out.resolve("latest/logs");
    }

    static void main(String[] args) throws Exception {
        Map<String, String> flags = Main.flags(args);
        if (flags.containsKey("help")) {
            System.out.print("""
                    usage: bench/run.sh [options]          (= taskset -c 1 java ... Main run [options])
                      --servers loomchat-vt,loomchat-platform,netty,python
                      --scenarios echo,room,hold,churn
                      --echo-n 10,100,1000,10000   --room-n 10,100,1000   --hold-n 19000   --churn-k 50
                      --duration 5 --warmup 2      seconds measured / warm-up per run
                      --window 4                   room: unacknowledged says per sender
                      --hold-timeout 120           hold: seconds allowed to get every client welcomed
                      --jfr                        record the room scenario on loomchat-vt with JFR and report it
                      --smoke                      tiny matrix for checking the harness (echo 10,100; room 10; hold 1000; 3 s)
                      --label TEXT                 a line printed above the tables
                      --md BENCHMARKS.md           where the tables go (--md none: nowhere)
                      --server-cpu 0               core for the servers (taskset); "none" to not pin
                    """);
            return;
        }
        Path root = Path.of(flags.getOrDefault("root", ".")).toAbsolutePath().normalize();
        new BenchRunner(root, flags).runAll(args);
    }

    private String opt(String name, String dflt, String smoke) {
        return f.getOrDefault(name, f.containsKey("smoke") ? smoke : dflt);
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private void runAll(String[] args) throws Exception {
        List<String> servers = list(opt("servers", String.join(",", ALL_SERVERS), String.join(",", ALL_SERVERS)));
        List<String> scenarios = list(opt("scenarios", "echo,room,hold,churn", "echo,room,hold,churn"));
        List<Integer> echoN = list(opt("echo-n", "10,100,1000,10000", "10,100")).stream().map(Integer::valueOf).toList();
        List<Integer> roomN = list(opt("room-n", "10,100,1000", "10")).stream().map(Integer::valueOf).toList();
        int holdN = Integer.parseInt(opt("hold-n", "19000", "1000"));
        int churnK = Integer.parseInt(opt("churn-k", "50", "20"));
        double duration = Double.parseDouble(opt("duration", "5", "3"));
        double warmup = Double.parseDouble(opt("warmup", "2", "1"));
        int window = Integer.parseInt(opt("window", "4", "4"));
        double holdTimeout = Double.parseDouble(opt("hold-timeout", "120", "60"));
        boolean jfr = f.containsKey("jfr");
        for (String s : servers) {
            if (!ALL_SERVERS.contains(s)) {
                throw new IllegalArgumentException("unknown server " + s + " (" + ALL_SERVERS + ")");
            }
        }
        Files.createDirectories(logs);
        long t0 = System.nanoTime();
        for (String server : servers) {
            for (String scenario : scenarios) {
                boolean recording = jfr && scenario.equals("room") && server.equals("loomchat-vt");
                Path jfrFile = out.resolve("latest/room-loomchat-vt.jfr");
                try (Server srv = Server.start(this, server, scenario, recording ? jfrFile : null)) {
                    switch (scenario) {
                        case "echo" -> {
                            for (int n : echoN) {
                                LoadGenerator.Options o = base(srv, n, duration, warmup);
                                o.connectTimeoutSeconds = 90;
                                record(server, scenario, n, o);
                            }
                        }
                        case "room" -> {
                            for (int n : roomN) {
                                LoadGenerator.Options o = base(srv, n, duration, warmup);
                                o.window = window;
                                record(server, scenario, n, o);
                            }
                        }
                        case "hold" -> {
                            LoadGenerator.Options o = base(srv, holdN, duration, 0);
                            o.serverPid = srv.pid();
                            o.connectTimeoutSeconds = holdTimeout;
                            o.connectBatch = 512;
                            record(server, scenario, holdN, o);
                        }
                        case "churn" -> record(server, scenario, churnK, base(srv, churnK, duration, warmup));
                        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                    }
                }
                if (recording && Files.exists(jfrFile)) {
                    jfrText = JfrReport.report(jfrFile);
                    Files.writeString(out.resolve("latest/jfr-report.txt"), jfrText);
                    System.out.println(jfrText);
                }
            }
        }
        double totalSeconds = (System.nanoTime() - t0) / 1e9;
        Files.writeString(out.resolve("latest/results.json"), Json.write(rows) + "\n");
        writeCsv(out.resolve("latest/results.csv"));
        Path png = out.resolve("bench.png");
        Chart.write(rows, png, f.containsKey("smoke") ? "smoke run, busy machine: not the published figures" : "");
        String md = f.getOrDefault("md", "BENCHMARKS.md");
        String section = markdown(args, totalSeconds, root.relativize(png).toString(), holdN);
        Files.writeString(out.resolve("latest/tables.md"), section);
        if (!md.equals("none")) {
            Path mdPath = root.resolve(md);
            String text = Files.exists(mdPath) ? Files.readString(mdPath) : "# Benchmarks\n";
            int b = text.indexOf(BEGIN);
            int e = text.indexOf(END);
            String block = BEGIN + "\n" + section + END;
            text = b >= 0 && e > b ? text.substring(0, b) + block + text.substring(e + END.length())
                    : text + "\n" + block + "\n";
            Files.writeString(mdPath, text);
            System.out.println("wrote " + mdPath + " and " + png);
        }
        System.out.printf(Locale.ROOT, "done in %.0f s%n", totalSeconds);
    }

    private static LoadGenerator.Options base(Server srv, int n, double duration, double warmup) {
        LoadGenerator.Options o = new LoadGenerator.Options();
        o.port = srv.port;
        o.n = n;
        o.durationSeconds = duration;
        o.warmupSeconds = warmup;
        return o;
    }

    private void record(String server, String scenario, int n, LoadGenerator.Options o) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("server", server);
        row.put("scenario", scenario);
        row.put("n", n);
        System.out.printf(Locale.ROOT, "%-18s %-6s n=%-6d ... ", server, scenario, n);
        System.out.flush();
        try {
            row.putAll(new LoadGenerator(o).run(scenario));
        } catch (Exception e) {
            row.put("failure", e.toString());
        }
        System.out.println(Json.write(row));
        rows.add(row);
    }

    private void writeCsv(Path file) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            for (String k : r.keySet()) {
                if (!keys.contains(k)) {
                    keys.add(k);
                }
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println(String.join(",", keys));
            for (Map<String, Object> r : rows) {
                w.println(keys.stream().map(k -> {
                    Object v = r.get(k);
                    return v == null ? "" : v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d)
                            : v.toString().replace(',', ';');
                }).collect(Collectors.joining(",")));
            }
        }
    }

    // ------------------------------------------------------------------------------------ servers

    /** A server process: started pinned, ready when it prints "listening on", stopped by PID. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final int port;

        private Server(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        long pid() {
            return process.pid();
        }

        static Server start(BenchRunner r, String name, String scenario, Path jfr) throws IOException, InterruptedException {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>();
            if (!r.serverCpu.equals("none")) {
                cmd.addAll(List.of("taskset", "-c", r.serverCpu));
            }
            switch (name) {
                case "loomchat-vt", "loomchat-platform" -> {
                    cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED"));
                    if (jfr != null) {
                        Files.deleteIfExists(jfr);
                        cmd.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true,"
                                + "jdk.VirtualThreadPinned#enabled=true,jdk.VirtualThreadPinned#threshold=0ms");
                    }
                    cmd.addAll(List.of("-jar", r.root.resolve("server/target/loomchat-server.jar").toString(),
                            "--port", Integer.toString(port), "--msg-rate", "0",
                            "--threads", name.endsWith("vt") ? "virtual" : "platform", "--log-level", "warn",
                            "--max-connections", "20000", "--outbox-frames", "65536", "--outbox-bytes", "67108864",
                            "--idle-timeout", "600s", "--stats-interval", "0"));
                }
                case "netty" -> cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", r.root.resolve("bench/target/benchmarks.jar").toString(),
                        "dev.loomchat.bench.NettyChatServer", "--port", Integer.toString(port)));
                case "python" -> cmd.addAll(List.of("python3", "-u", r.root.resolve("bench/python/chat_server.py").toString(),
                        "--port", Integer.toString(port), "--backlog", "4096"));
                default -> throw new IllegalArgumentException(name);
            }
            Path log = r.logs.resolve(name + "-" + scenario + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<Boolean> ready = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                     PrintWriter w = new PrintWriter(Files.newBufferedWriter(log), true)) {
                    w.println("$ " + String.join(" ", cmd));
                    for (String line; (line = in.readLine()) != null; ) {
                        w.println(line);
                        if (line.contains("listening on")) {
                            ready.complete(true);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                ready.complete(false);
            });
            Server s = new Server(p, port);
            try {
                if (!ready.get(60, TimeUnit.SECONDS)) {
                    throw new IOException(name + " did not start; see " + log);
                }
            } catch (Exception e) {
                s.close();
                throw new IOException(name + " did not start: " + e + "; see " + log, e);
            }
            Thread.sleep(300);
            return s;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM to this PID only
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // ----------------------------------------------------------------------------------- markdown

    private static String sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return s;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException ignored) {
            // leave "?"
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException ignored) {
            // leave "?"
        }
        return "`nproc --all` " + sh("nproc", "--all") + " (the load generator, pinned, sees "
                + Runtime.getRuntime().availableProcessors() + "), CPU " + cpu + ", JDK " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", " + sh("python3", "--version") + ", kernel " + sh("uname", "-r") + ", load average at the end: " + load;
    }

    private List<Map<String, Object>> rows(String scenario) {
        return rows.stream().filter(r -> scenario.equals(r.get("scenario"))).toList();
    }

    private static String num(Object v, String fmt) {
        if (v instanceof Number n) {
            return String.format(Locale.ROOT, fmt, n.doubleValue());
        }
        return v == null ? "–" : v.toString();
    }

    private static String intf(Object v) {
        if (v instanceof Number n) {
            return String.format(Locale.ROOT, "%,d", Math.round(n.doubleValue()));
        }
        return v == null ? "–" : v.toString();
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

    private String ratio(String a, String b, String scenario, int n, String key) {
        Double x = value(a, scenario, n, key);
        Double y = value(b, scenario, n, key);
        return x == null || y == null || y == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", x / y);
    }

    private String markdown(String[] args, double seconds, String png, int holdN) {
        StringBuilder sb = new StringBuilder();
        String label = f.getOrDefault("label", f.containsKey("smoke")
                ? "**Smoke run on a busy machine — not the published figures.** It only shows that the harness works end to end."
                : "");
        if (!label.isEmpty()) {
            sb.append(label).append("\n\n");
        }
        sb.append("- Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        List<String> shown = new ArrayList<>(List.of(args));
        int rootAt = shown.indexOf("--root");
        if (rootAt >= 0) {
            shown.subList(rootAt, Math.min(shown.size(), rootAt + 2)).clear(); // added by run.sh itself
        }
        sb.append("- Command: `bench/run.sh").append(shown.isEmpty() ? "" : " " + String.join(" ", shown))
                .append("` (servers pinned with `taskset -c ").append(serverCpu).append("`, load generator with `taskset -c 1`); ")
                .append(String.format(Locale.ROOT, "%.0f s in all", seconds)).append('\n');
        sb.append("- Machine: ").append(machine()).append('\n');
        sb.append("- Raw results: `bench/results/latest/results.json` / `.csv`; server logs in `bench/results/latest/logs/`\n\n");
        sb.append("![throughput and p99 against N](").append(png).append(")\n\n");

        sb.append("#### echo (one ~96-byte `ping` line in, one `pong` line out, closed loop per connection)\n\n");
        sb.append("| server | N | connected | round trips/s | p50 ms | p99 ms | p99.9 ms | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : rows("echo")) {
            sb.append("| ").append(r.get("server")).append(" | ").append(intf(r.get("n"))).append(" | ").append(intf(r.get("connected")))
                    .append(" | ").append(intf(r.get("rt_per_s"))).append(" | ").append(num(r.get("p50_ms"), "%.2f"))
                    .append(" | ").append(num(r.get("p99_ms"), "%.2f")).append(" | ").append(num(r.get("p999_ms"), "%.2f"))
                    .append(" | ").append(r.containsKey("failure") ? r.get("failure") : intf(r.get("errors"))).append(" |\n");
        }
        sb.append("\n#### room (N chatters in one room, each at most 4 unacknowledged says; every say goes to all N)\n\n");
        sb.append("| server | N | deliveries/s | says/s | p50 ms | p99 ms | p99.9 ms | lost | order violations | errors |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : rows("room")) {
            sb.append("| ").append(r.get("server")).append(" | ").append(intf(r.get("n"))).append(" | ")
                    .append(intf(r.get("deliveries_per_s"))).append(" | ").append(intf(r.get("says_per_s"))).append(" | ")
                    .append(num(r.get("p50_ms"), "%.1f")).append(" | ").append(num(r.get("p99_ms"), "%.1f")).append(" | ")
                    .append(num(r.get("p999_ms"), "%.1f")).append(" | ").append(intf(r.get("lost"))).append(" | ")
                    .append(intf(r.get("order_violations"))).append(" | ")
                    .append(r.containsKey("failure") ? r.get("failure") : intf(r.get("errors"))).append(" |\n");
        }
        sb.append("\n#### hold (idle clients: connect + hello, then nothing)\n\n");
        sb.append("| server | asked | held | time to welcome all, s | RSS before MiB | RSS after MiB | RSS / conn KiB | heap / conn KiB "
                + "| RSS / conn, 2nd half KiB | heap / conn, 2nd half KiB |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : rows("hold")) {
            sb.append("| ").append(r.get("server")).append(" | ").append(intf(r.get("n"))).append(" | ").append(intf(r.get("held")))
                    .append(" | ").append(num(r.get("accept_all_s"), "%.1f")).append(r.get("complete") == Boolean.FALSE ? " (timed out)" : "")
                    .append(" | ").append(num(mib(r.get("rss_before_kib")), "%.0f")).append(" | ").append(num(mib(r.get("rss_after_kib")), "%.0f"))
                    .append(" | ").append(num(r.get("rss_per_conn_kib"), "%.1f")).append(" | ")
                    .append(r.get("heap_per_conn_kib") instanceof Number x && x.doubleValue() >= 0 ? num(x, "%.1f") : "–")
                    .append(" | ").append(num(r.get("rss_marginal_kib"), "%.1f")).append(" | ")
                    .append(r.get("heap_marginal_kib") instanceof Number x && x.doubleValue() >= 0 ? num(x, "%.1f") : "–")
                    .append(r.containsKey("failure") ? " " + r.get("failure") : "").append(" |\n");
        }
        sb.append("\n#### churn (loops of connect, hello, join a fresh room, say, quit)\n\n");
        sb.append("| server | loops | sessions/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : rows("churn")) {
            sb.append("| ").append(r.get("server")).append(" | ").append(intf(r.get("n"))).append(" | ")
                    .append(intf(r.get("sessions_per_s"))).append(" | ").append(num(r.get("p50_ms"), "%.1f")).append(" | ")
                    .append(num(r.get("p99_ms"), "%.1f")).append(" | ")
                    .append(r.containsKey("failure") ? r.get("failure") : intf(r.get("errors"))).append(" |\n");
        }
        sb.append("\n#### Ratios (same run)\n\n| ratio | value |\n|---|---:|\n");
        sb.append("| echo N=1000 round trips/s, loomchat-vt / python | ").append(ratio("loomchat-vt", "python", "echo", 1000, "rt_per_s")).append(" |\n");
        sb.append("| echo N=1000 round trips/s, loomchat-vt / netty | ").append(ratio("loomchat-vt", "netty", "echo", 1000, "rt_per_s")).append(" |\n");
        sb.append("| echo N=1000 round trips/s, loomchat-vt / loomchat-platform | ").append(ratio("loomchat-vt", "loomchat-platform", "echo", 1000, "rt_per_s")).append(" |\n");
        sb.append("| room N=100 deliveries/s, loomchat-vt / python | ").append(ratio("loomchat-vt", "python", "room", 100, "deliveries_per_s")).append(" |\n");
        sb.append("| room N=100 deliveries/s, loomchat-vt / netty | ").append(ratio("loomchat-vt", "netty", "room", 100, "deliveries_per_s")).append(" |\n");
        sb.append("| hold RSS per connection, loomchat-vt / python | ").append(ratio("loomchat-vt", "python", "hold", holdN, "rss_per_conn_kib")).append(" |\n");
        sb.append("| hold RSS per connection of the 2nd half, loomchat-vt / python | ").append(ratio("loomchat-vt", "python", "hold", holdN, "rss_marginal_kib")).append(" |\n");
        sb.append("| churn sessions/s, loomchat-vt / python | ").append(ratio("loomchat-vt", "python", "churn",
                rows("churn").isEmpty() ? 0 : (Integer) rows("churn").get(0).get("n"), "sessions_per_s")).append(" |\n");
        if (jfrText != null) {
            sb.append("\n#### JFR of the room scenario on loomchat-vt (`--jfr`)\n\n```text\n").append(jfrText).append("```\n");
        }
        return sb.toString();
    }

    private static Object mib(Object kib) {
        return kib instanceof Number n && n.doubleValue() >= 0 ? n.doubleValue() / 1024 : null;
    }
}
