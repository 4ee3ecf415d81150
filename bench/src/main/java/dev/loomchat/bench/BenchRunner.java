package dev.loomchat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The comparison runner ({@code bench/run.sh}): for each server and scenario, starts a fresh
 * server process pinned to one core ({@link ServerProcess}), drives it from this process (which
 * run.sh pins to the other core), stops it by its PID, and finally writes
 * {@code bench/results/latest/results.json} and {@code .csv}, the chart
 * {@code bench/results/bench.png} and the tables in BENCHMARKS.md between
 * {@code <!-- bench:begin -->} and {@code <!-- bench:end -->}.
 *
 * <p>A server that does not start, or a row in which every connection failed, is written into
 * the tables as that row's failure and the run goes on; at the end the runner names them in one
 * line and exits 1.
 */
final class BenchRunner {

    static final String BEGIN = "<!-- bench:begin -->";
    static final String END = "<!-- bench:end -->";
    static final List<String> ALL_SCENARIOS = List.of("echo", "room", "hold", "churn");

    static final Set<String> OPTIONS = Set.of("root", "servers", "scenarios", "echo-n", "room-n", "hold-n", "churn-k",
            "duration", "warmup", "window", "hold-timeout", "jfr", "smoke", "label", "md", "server-cpu", "out");

    static final String USAGE = """
            usage: bench/run.sh [options]          (= taskset -c 1 java ... Main run [options])
              --servers loomchat-vt,loomchat-platform,netty,netty-flush-each,python,nats,loomchat-store,loomchat-sync
                                           (netty-flush-each, nats and loomchat-store/-sync play the room
                                           scenario only; loomchat-vt runs with --data none, the store
                                           rows with a fresh --data directory, -sync with --sync)
              --scenarios echo,room,hold,churn
              --echo-n 10,100,1000,10000   --room-n 10,100,1000   --hold-n 19000   --churn-k 50
              --duration 5 --warmup 2      seconds measured / warm-up per run
              --window 4                   room: unacknowledged says per sender
              --hold-timeout 120           hold: seconds allowed to get every client welcomed
              --jfr                        record the room scenario on loomchat-vt with JFR and report it
              --smoke                      tiny matrix for checking the harness (echo 10,100; room 10; hold 1000; 3 s);
                                           writes to bench/target/smoke-results, not BENCHMARKS.md (unless --md/--out)
              --label TEXT                 a line printed above the tables
              --md BENCHMARKS.md           where the tables go (--md none: nowhere)
              --out bench/results          where results.json/.csv, logs and bench.png go
              --server-cpu 0               core for the servers (taskset); "none" to not pin
            Exit status: 0 every row ran; 1 a server did not start or a row had no working connection
            (the tables say which; one line names them); 2 bad options.
            """;

    private final Path root;
    private final Flags f;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    /** Rows that measured nothing because the server never started or every connection failed. */
    private final List<String> broken = new ArrayList<>();
    private final boolean smoke;
    private final String serverCpu;
    private final Path out;
    private final Path logs;
    private final PrintStream console;
    private String jfrText;

    private BenchRunner(Path root, Flags flags, PrintStream console) {
        this.root = root;
        this.f = flags;
        this.console = console;
        this.smoke = flags.flag("smoke");
        this.serverCpu = flags.string("server-cpu", "0");
        // A smoke run only checks the harness: by default its figures go nowhere near the published ones.
        this.out = root.resolve(flags.string("out", smoke ? "bench/target/smoke-results" : "bench/results"));
        this.logs = out.resolve("latest/logs");
    }

    /** {@code Main run ARGS}: returns the exit status. */
    static int run(String[] args, PrintStream console, PrintStream err) throws Exception {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                console.print(USAGE);
                return 0;
            }
        }
        Flags flags = Flags.parse(args, OPTIONS);
        Path root = Path.of(flags.string("root", ".")).toAbsolutePath().normalize();
        BenchRunner runner = new BenchRunner(root, flags, console);
        runner.runAll(args);
        if (!runner.broken.isEmpty()) {
            err.println("bench: " + runner.broken.size() + " run(s) measured nothing: " + String.join("; ", runner.broken));
            return 1;
        }
        return 0;
    }

    /** The default of an option: the smoke run's with --smoke. */
    private String dflt(String full, String forSmoke) {
        return smoke ? forSmoke : full;
    }

    private List<Integer> counts(String name, String full, String forSmoke) {
        List<Integer> list = f.integers(name, dflt(full, forSmoke));
        for (int n : list) {
            if (n < 1 || n > LoadGenerator.MAX_CONNECTIONS) {
                throw new UsageException("--" + name + " values must be 1.." + LoadGenerator.MAX_CONNECTIONS + ": " + n);
            }
        }
        return list;
    }

    private double seconds(String name, double full, double forSmoke) {
        double v = f.number(name, smoke ? forSmoke : full);
        if (v < 0 || v > LoadGenerator.MAX_SECONDS) {
            throw new UsageException("--" + name + " must be 0.." + (int) LoadGenerator.MAX_SECONDS + " s: " + v);
        }
        return v;
    }

    private void runAll(String[] args) throws Exception {
        // The default matrix is the peer comparison; the history store rows are asked for by name.
        String comparison = String.join(",", ServerProcess.Kind.labels().stream()
                .filter(label -> !label.equals("loomchat-store") && !label.equals("loomchat-sync")).toList());
        List<ServerProcess.Kind> servers = f.strings("servers", comparison).stream()
                .map(ServerProcess.Kind::of).toList();
        List<String> scenarios = f.strings("scenarios", String.join(",", ALL_SCENARIOS));
        for (String s : scenarios) {
            if (!ALL_SCENARIOS.contains(s)) {
                throw new UsageException("unknown scenario " + s + " (" + String.join(",", ALL_SCENARIOS) + ")");
            }
        }
        List<Integer> echoN = counts("echo-n", "10,100,1000,10000", "10,100");
        List<Integer> roomN = counts("room-n", "10,100,1000", "10");
        int holdN = counts("hold-n", "19000", "1000").getFirst();
        int churnK = counts("churn-k", "50", "20").getFirst();
        double duration = seconds("duration", 5, 3);
        double warmup = seconds("warmup", 2, 1);
        int window = f.integer("window", 4);
        double holdTimeout = seconds("hold-timeout", 120, 60);
        if (duration <= 0 || window < 1 || holdTimeout <= 0) {
            throw new UsageException("--duration and --hold-timeout must be > 0, --window at least 1");
        }
        boolean jfr = f.flag("jfr");
        Files.createDirectories(logs);
        long t0 = System.nanoTime();
        for (ServerProcess.Kind server : servers) {
            for (String scenario : scenarios) {
                if (!server.scenarios.contains(scenario)) {
                    continue; // e.g. nats plays the room only
                }
                List<Integer> ns = switch (scenario) {
                    case "echo" -> echoN;
                    case "room" -> roomN;
                    case "hold" -> List.of(holdN);
                    default -> List.of(churnK);
                };
                boolean recording = jfr && scenario.equals("room") && server == ServerProcess.Kind.LOOMCHAT_VT;
                Path jfrFile = out.resolve("latest/room-loomchat-vt.jfr");
                Path log = logs.resolve(server.label + "-" + scenario + ".log");
                ServerProcess srv;
                try {
                    srv = ServerProcess.start(server, root, serverCpu, log, recording ? jfrFile : null);
                } catch (IOException e) {
                    console.println(server.label + " " + scenario + ": " + e.getMessage());
                    for (int n : ns) {
                        failed(server.label, scenario, n, e.getMessage());
                    }
                    continue;
                }
                try (srv) {
                    for (int n : ns) {
                        LoadGenerator.Options o = base(srv, server, n, duration, scenario.equals("hold") ? 0 : warmup);
                        switch (scenario) {
                            case "echo" -> o.connectTimeoutSeconds = 90;
                            case "room" -> o.window = window;
                            case "hold" -> {
                                o.serverPid = srv.pid();
                                o.connectTimeoutSeconds = holdTimeout;
                                o.connectBatch = 512;
                            }
                            default -> {
                            }
                        }
                        record(server.label, scenario, n, o);
                    }
                }
                if (recording && Files.exists(jfrFile)) {
                    jfrText = JfrReport.report(jfrFile);
                    Files.writeString(out.resolve("latest/jfr-report.txt"), jfrText);
                    console.println(jfrText);
                }
            }
        }
        double totalSeconds = (System.nanoTime() - t0) / 1e9;
        Files.writeString(out.resolve("latest/results.json"), Json.write(rows) + "\n");
        writeCsv(out.resolve("latest/results.csv"));
        Path png = out.resolve("bench.png");
        Chart.write(rows, png, smoke ? "smoke run, busy machine: not the published figures" : "");
        String md = f.string("md", smoke ? "none" : "BENCHMARKS.md");
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
            console.println("wrote " + mdPath + " and " + png);
        }
        console.printf(Locale.ROOT, "done in %.0f s%n", totalSeconds);
    }

    private static LoadGenerator.Options base(ServerProcess srv, ServerProcess.Kind kind, int n, double duration, double warmup) {
        LoadGenerator.Options o = new LoadGenerator.Options();
        o.port = srv.port;
        o.n = n;
        o.durationSeconds = duration;
        o.warmupSeconds = warmup;
        o.protocol = kind.protocol();
        return o;
    }

    private void record(String server, String scenario, int n, LoadGenerator.Options o) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("server", server);
        row.put("scenario", scenario);
        row.put("n", n);
        console.printf(Locale.ROOT, "%-18s %-6s n=%-6d ... ", server, scenario, n);
        console.flush();
        long overflowsBefore = listenOverflows();
        try {
            row.putAll(new LoadGenerator(o).run(scenario));
        } catch (NoConnectionException e) {
            row.put("failure", e.getMessage());
            broken.add(server + " " + scenario + " n=" + n + ": " + e.getMessage());
        } catch (Exception e) {
            row.put("failure", e.toString());
        }
        long overflowsAfter = listenOverflows();
        if (overflowsBefore >= 0 && overflowsAfter >= 0) {
            row.put("listen_overflows", overflowsAfter - overflowsBefore);
        }
        console.println(Json.write(row));
        rows.add(row);
    }

    /**
     * The kernel's count of connections dropped because a listener's accept queue was full
     * ({@code TcpExtListenOverflows} in {@code /proc/net/netstat}, machine-wide: nothing else
     * listens during a run); -1 where there is no such file. A dropped handshake is retried by
     * the kernel after 1, 2, 4 ... s, which shows up as a connection that waits seconds.
     */
    static long listenOverflows() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                String[] names = lines.get(i).split(" ");
                String[] values = lines.get(i + 1).split(" ");
                for (int k = 1; k < names.length && k < values.length; k++) {
                    if (names[k].equals("ListenOverflows")) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or another format: no figure
        }
        return -1;
    }

    /** A row that could not run at all (its server did not start). */
    private void failed(String server, String scenario, int n, String why) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("server", server);
        row.put("scenario", scenario);
        row.put("n", n);
        row.put("failure", why);
        rows.add(row);
        broken.add(server + " " + scenario + " n=" + n + ": " + why);
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

    private String markdown(String[] args, double seconds, String png, int holdN) {
        StringBuilder sb = new StringBuilder();
        Ratios ratios = new Ratios(rows);
        String label = f.string("label", smoke
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
        sb.append("| server | N | connected | round trips/s | p50 ms | p99 ms | p99.9 ms | longest wait ms | fewest round trips of a connection | listen overflows | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : rows("echo")) {
            sb.append("| ").append(r.get("server")).append(" | ").append(intf(r.get("n"))).append(" | ").append(intf(r.get("connected")))
                    .append(" | ").append(intf(r.get("rt_per_s"))).append(" | ").append(num(r.get("p50_ms"), "%.2f"))
                    .append(" | ").append(num(r.get("p99_ms"), "%.2f")).append(" | ").append(num(r.get("p999_ms"), "%.2f"))
                    .append(" | ").append(num(r.get("longest_wait_ms"), "%.0f")).append(" | ").append(intf(r.get("fewest_rts")))
                    .append(" | ").append(intf(r.get("listen_overflows")))
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
        sb.append("| echo N=1000 round trips/s, loomchat-vt / python | ").append(ratios.of("loomchat-vt", "python", "echo", 1000, "rt_per_s")).append(" |\n");
        sb.append("| echo N=1000 round trips/s, loomchat-vt / netty | ").append(ratios.of("loomchat-vt", "netty", "echo", 1000, "rt_per_s")).append(" |\n");
        sb.append("| echo N=1000 round trips/s, loomchat-vt / loomchat-platform | ").append(ratios.of("loomchat-vt", "loomchat-platform", "echo", 1000, "rt_per_s")).append(" |\n");
        sb.append("| echo N=10000 round trips/s, loomchat-vt / netty | ").append(ratios.of("loomchat-vt", "netty", "echo", 10000, "rt_per_s")).append(" |\n");
        sb.append("| echo N=10000 p99, loomchat-vt / netty | ").append(ratios.of("loomchat-vt", "netty", "echo", 10000, "p99_ms")).append(" |\n");
        for (int n : List.of(100, 1000)) {
            String d = "deliveries_per_s";
            sb.append("| room N=").append(n).append(" deliveries/s, loomchat-vt / python | ").append(ratios.of("loomchat-vt", "python", "room", n, d)).append(" |\n");
            sb.append("| room N=").append(n).append(" deliveries/s, loomchat-vt / netty | ").append(ratios.of("loomchat-vt", "netty", "room", n, d)).append(" |\n");
            sb.append("| room N=").append(n).append(" deliveries/s, loomchat-vt / netty-flush-each | ").append(ratios.of("loomchat-vt", "netty-flush-each", "room", n, d)).append(" |\n");
            sb.append("| room N=").append(n).append(" deliveries/s, loomchat-vt / nats | ").append(ratios.of("loomchat-vt", "nats", "room", n, d)).append(" |\n");
            sb.append("| room N=").append(n).append(" deliveries/s, loomchat-vt / best of netty and nats | ").append(ratios.toBest("loomchat-vt", List.of("netty", "nats"), "room", n, d)).append(" |\n");
        }
        sb.append("| hold RSS per connection, loomchat-vt / python | ").append(ratios.of("loomchat-vt", "python", "hold", holdN, "rss_per_conn_kib")).append(" |\n");
        sb.append("| hold RSS per connection of the 2nd half, loomchat-vt / python | ").append(ratios.of("loomchat-vt", "python", "hold", holdN, "rss_marginal_kib")).append(" |\n");
        sb.append("| churn sessions/s, loomchat-vt / python | ").append(ratios.of("loomchat-vt", "python", "churn",
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
