package dev.loomchat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./loomchat bench COMMAND [options]}: the load generator, the comparison runner and the
 * other benchmarks of the bench module.
 *
 * <p>Exit status: 0 done; 1 the run failed (nothing listening, every connection refused, a
 * server that would not start, an I/O error), said in one line on stderr; 2 a bad command line
 * (unknown command or option, a value that is not a number), said in one line with a hint at
 * {@code --help}.
 */
public final class Main {

    static final String HINT = "(try ./loomchat bench --help)";
    static final String RUN_HINT = "(try bench/run.sh --help)";

    private static final String USAGE = """
            usage: ./loomchat bench COMMAND [options]

              run [runner options]      the whole comparison: start each server pinned to core 0, run the
                                        scenarios from this process, write results and BENCHMARKS.md
                                        (use bench/run.sh, which pins this process to core 1; run --help lists options)
              echo|room|hold|churn      one scenario against a running server; prints the result as JSON
                  --host 127.0.0.1 --port 9999 --n 10 --duration 5 --warmup 1 --connect-timeout 60
                  --port A,B,...: cluster nodes on one host; connection i goes to the i-th mod count
                  echo:  --rounds M (0 = until the duration ends)   --line-bytes 96
                         (against ./loomchat server, start it with --msg-rate 0 --exempt-loopback: the
                         default rate limit delays pings to 10/s per connection, and the per-address
                         limits refuse the 17th connection from 127.0.0.1)
                  room:  --window 4 (unacknowledged says per sender)  --rate R (says/s per sender, 0 = window only)
                         --protocol nats: the room over NATS's text protocol (against nats-server)
                         --websocket K --http-port P: the first K chatters through the web door's
                         WebSocket (./loomchat server --http 127.0.0.1:P), the rest through the TCP door
                  hold:  --server-pid PID (for RSS and heap)
                  churn: --n = concurrent connect/hello/join/say/quit loops
              echo-vt [echo options]    echo driven by one virtual thread per blocking socket (engine comparison)
              netty-server [--host H] [--port P] [--threads T] [--flush-each]   the Netty comparison server
              redis-clients --redis redis://127.0.0.1:P [--threads 1,64,512] [--duration 5] [--pool 64]
                                        Jedis vs Lettuce on virtual threads (cluster mode's client choice)
              jfr-report FILE.jfr       pinned virtual threads and top allocation sites of a recording
              fork [--duration 10] [--concurrency 8] [--pool 4] [--max-children 40] [--startups 10]
                                        child-JVM start-up cost, then requests/s of a process per request vs a
                                        pre-forked pool vs virtual threads, side by side (prints a Markdown table)
              store [--messages 1000000] [--dir DIR]
                                        the history store in-process: fills a fresh directory, prints disk bytes
                                        per message and the time to open it again (a Markdown table)
              jmh [JMH options]         the JMH micro-benchmarks, e.g. jmh CodecBenchmark -prof gc (jmh -h: options)
              codec-lines               print the lines CodecBenchmark measures
            Targets: loopback only; at most %d connections and %d s per run.
            Exit status: 0 done, 1 the run failed (one line says why), 2 bad command line.
            """.formatted(LoadGenerator.MAX_CONNECTIONS, (int) LoadGenerator.MAX_SECONDS);

    static final Set<String> SCENARIO_OPTIONS = Set.of("host", "port", "n", "duration", "warmup", "rounds", "window",
            "rate", "server-pid", "connect-timeout", "line-bytes", "protocol", "websocket", "http-port");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command; returns the exit status. Errors are reported on {@code err}, one line each. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || isHelp(args[0])) {
            out.print(USAGE);
            return 0;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            if (!command.equals("run") && !command.equals("jmh") && Arrays.stream(rest).anyMatch(Main::isHelp)) {
                out.print(USAGE);
                return 0;
            }
            switch (command) {
                case "run" -> {
                    return BenchRunner.run(rest, out, err);
                }
                case "fork" -> ForkBench.main(Flags.parse(rest, ForkBench.OPTIONS));
                case "netty-server" -> NettyChatServer.serve(Flags.parse(rest, NettyChatServer.OPTIONS), out);
                case "redis-clients" -> RedisClientComparison.main(Flags.parse(rest, RedisClientComparison.OPTIONS));
                case "jfr-report" -> {
                    if (rest.length != 1) {
                        throw new UsageException("jfr-report needs one FILE.jfr");
                    }
                    Path file = Path.of(rest[0]);
                    if (!Files.isRegularFile(file)) {
                        throw new IOException("jfr-report: no such file: " + file);
                    }
                    out.print(JfrReport.report(file));
                }
                case "store" -> StoreBench.run(Flags.parse(rest, java.util.Set.of("messages", "dir")), out);
                case "jmh" -> org.openjdk.jmh.Main.main(rest);
                case "codec-lines" -> CodecBenchmark.main(rest);
                case "echo-vt" -> out.println(Json.write(new LoadGenerator(options(rest)).echoVirtual()));
                case "echo", "room", "hold", "churn" -> {
                    Map<String, Object> r = new LoadGenerator(options(rest)).run(command);
                    out.println(Json.write(r));
                }
                default -> throw new UsageException("unknown command '" + command + "'");
            }
            return 0;
        } catch (UsageException e) {
            err.println("bench: " + e.getMessage() + " " + (command.equals("run") ? RUN_HINT : HINT));
            return 2;
        } catch (IOException e) {
            err.println("bench: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
    }

    /** The options of one scenario ({@code echo}, {@code room}, ...), checked. */
    static LoadGenerator.Options options(String[] args) {
        Flags f = Flags.parse(args, SCENARIO_OPTIONS);
        LoadGenerator.Options o = new LoadGenerator.Options();
        o.host = f.string("host", o.host);
        if (f.has("port")) {
            // --port A,B,...: several cluster nodes; chatters are spread round robin.
            List<Integer> ports = f.integers("port", null);
            for (int port : ports) {
                if (port < 1 || port > 65_535) {
                    throw new UsageException("--port must be 1..65535: " + port);
                }
            }
            o.port = ports.getFirst();
            o.ports = ports.size() > 1 ? ports : List.of();
        }
        o.n = f.integer("n", o.n);
        o.durationSeconds = f.number("duration", o.durationSeconds);
        o.warmupSeconds = f.number("warmup", o.warmupSeconds);
        o.rounds = f.longValue("rounds", o.rounds);
        o.window = f.integer("window", o.window);
        o.rate = f.number("rate", o.rate);
        o.serverPid = f.longValue("server-pid", o.serverPid);
        o.connectTimeoutSeconds = f.number("connect-timeout", o.connectTimeoutSeconds);
        o.lineBytes = f.integer("line-bytes", o.lineBytes);
        o.protocol = f.string("protocol", o.protocol);
        o.websocket = f.integer("websocket", o.websocket);
        o.httpPort = f.integer("http-port", o.httpPort);
        o.check();
        return o;
    }
}
