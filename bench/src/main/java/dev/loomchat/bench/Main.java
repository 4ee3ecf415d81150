package dev.loomchat.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./loomchat bench COMMAND [options]}, that is
 * {@code java -cp bench/target/benchmarks.jar dev.loomchat.bench.Main COMMAND [options]}.
 */
public final class Main {

    private static final String USAGE = """
            usage: Main COMMAND [options]

              run [runner options]      the whole comparison: start each server pinned to core 0, run the
                                        scenarios from this process, write results and BENCHMARKS.md
                                        (use bench/run.sh, which pins this process to core 1; --help lists options)
              echo|room|hold|churn      one scenario against a running server; prints the result as JSON
                  --host 127.0.0.1 --port 9999 --n 10 --duration 5 --warmup 1
                  --port A,B,...: cluster nodes on one host; connection i goes to the i-th mod count
                  echo:  --rounds M (0 = until the duration ends)   --line-bytes 96
                  room:  --window 4 (unacknowledged says per sender)  --rate R (says/s per sender, 0 = window only)
                  hold:  --server-pid PID (for RSS and heap)           --connect-timeout 60
                  churn: --n = concurrent connect/hello/join/say/quit loops
              echo-vt [echo options]    echo driven by one virtual thread per blocking socket (engine comparison)
              netty-server [--port P] [--threads T]   the Netty comparison server
              redis-clients --redis redis://127.0.0.1:P [--threads 1,64,512] [--duration 5] [--pool 64]
                                        Jedis vs Lettuce on virtual threads (cluster mode's client choice)
              jfr-report FILE.jfr                     pinned virtual threads and top allocation sites
              fork [--duration 10] [--concurrency 8] [--pool 4] [--max-children 40] [--startups 10]
                                        child-JVM start-up cost, then requests/s of a process per request vs a
                                        pre-forked pool vs virtual threads, side by side (prints a Markdown table)
            Targets: loopback only; at most %d connections and %d s per run.
            """.formatted(LoadGenerator.MAX_CONNECTIONS, (int) LoadGenerator.MAX_SECONDS);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.print(USAGE);
            return;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "run" -> BenchRunner.main(rest);
            case "fork" -> ForkBench.main(flags(rest));
            case "netty-server" -> NettyChatServer.main(rest);
            case "redis-clients" -> RedisClientComparison.main(rest);
            case "jfr-report" -> System.out.print(JfrReport.report(java.nio.file.Path.of(rest[0])));
            case "echo-vt" -> System.out.println(Json.write(new LoadGenerator(options(rest)).echoVirtual()));
            case "echo", "room", "hold", "churn" -> {
                LoadGenerator.Options o = options(rest);
                Map<String, Object> r = new LoadGenerator(o).run(command);
                System.out.println(Json.write(r));
            }
            default -> {
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }

    static Map<String, String> flags(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                extra.add(a);
            } else if (a.contains("=")) {
                m.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(a.substring(2), args[++i]);
            } else {
                m.put(a.substring(2), "true");
            }
        }
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException("unexpected arguments: " + extra);
        }
        return m;
    }

    static LoadGenerator.Options options(String[] args) {
        Map<String, String> f = flags(args);
        LoadGenerator.Options o = new LoadGenerator.Options();
        for (Map.Entry<String, String> e : f.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "host" -> o.host = v;
                case "port" -> {
                    // --port A,B,...: several cluster nodes; chatters are spread round robin.
                    List<Integer> ports = Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt).toList();
                    o.port = ports.getFirst();
                    o.ports = ports.size() > 1 ? ports : List.of();
                }
                case "n" -> o.n = Integer.parseInt(v);
                case "duration" -> o.durationSeconds = Double.parseDouble(v);
                case "warmup" -> o.warmupSeconds = Double.parseDouble(v);
                case "rounds" -> o.rounds = Long.parseLong(v);
                case "window" -> o.window = Integer.parseInt(v);
                case "rate" -> o.rate = Double.parseDouble(v);
                case "server-pid" -> o.serverPid = Long.parseLong(v);
                case "connect-timeout" -> o.connectTimeoutSeconds = Double.parseDouble(v);
                case "line-bytes" -> o.lineBytes = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option --" + e.getKey() + " (try --help)");
            }
        }
        return o;
    }
}
