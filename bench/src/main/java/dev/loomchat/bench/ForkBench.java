package dev.loomchat.bench;

import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.Forking;
import dev.loomchat.socketserver.ForkingTCPServer;
import dev.loomchat.socketserver.NamedHandlerFactory;
import dev.loomchat.socketserver.StreamRequestHandler;
import dev.loomchat.socketserver.ThreadingTCPServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code ./loomchat bench fork}: what process isolation costs (issue 6), measured side by side in
 * one run, on loopback only.
 *
 * <ol>
 *   <li>Start-up: a bare child JVM (the options a per-request child gets, an empty main) started
 *       and waited for, {@code --startups} times; and a per-request forking server answering one
 *       request at a time (JVM start + handoff + handler + exit), the same number of times.</li>
 *   <li>Throughput: the same upper-case handler (one line per connection) on a
 *       {@code ForkingTCPServer} with a process per request, on one with a pre-forked pool of
 *       {@code --pool} workers, and on a {@code ThreadingTCPServer} (virtual threads), each
 *       loaded for {@code --duration} seconds by {@code --concurrency} clients in a closed loop
 *       (connect, send a line, read the answer, close), after a short warm-up.</li>
 * </ol>
 * Prints a Markdown table (for BENCHMARKS.md) and the same figures as JSON.
 */
final class ForkBench {

    static final int MAX_CONCURRENCY = 256;
    static final double MAX_DURATION_SECONDS = 60;
    private static final ReentrantLock HISTOGRAM_LOCK = new ReentrantLock();
    private static final byte[] LINE = "hello from the fork bench\n".getBytes(StandardCharsets.UTF_8);

    /** The handler every mode runs: reads a line, answers it in upper case. */
    static final class UpperHandler extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            String line = new String(rfile().readline(), StandardCharsets.UTF_8);
            wfile().write(line.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An empty main: a bare child JVM's start and exit. */
    static final class EmptyMain {
        public static void main(String[] args) {
        }
    }

    private ForkBench() {
    }

    /** The options of {@code ./loomchat bench fork}. */
    static final java.util.Set<String> OPTIONS = java.util.Set.of("duration", "concurrency", "pool", "max-children", "startups");

    static void main(Flags flags) throws Exception {
        double duration = Math.min(MAX_DURATION_SECONDS, flags.number("duration", 10));
        int concurrency = Math.min(MAX_CONCURRENCY, flags.integer("concurrency", 8));
        int pool = flags.integer("pool", 4);
        int maxChildren = flags.integer("max-children", Forking.DEFAULT_MAX_CHILDREN);
        int startups = flags.integer("startups", 10);
        if (duration <= 0 || concurrency < 1 || pool < 1 || maxChildren < 1 || startups < 1) {
            throw new UsageException("fork: --duration must be > 0; --concurrency, --pool, --max-children and --startups at least 1");
        }
        System.err.printf("fork bench: %d start-ups; then %.0f s per mode, %d clients, pool of %d, maxChildren %d%n",
                startups, duration, concurrency, pool, maxChildren);

        Map<String, Object> results = new LinkedHashMap<>();
        long[] bare = bareJvmStartups(startups);
        long[] perRequest = sequentialForkedRequests(startups);
        results.put("bare_child_jvm_ms", stats(bare));
        results.put("forked_request_sequential_ms", stats(perRequest));

        List<Map<String, Object>> modes = new ArrayList<>();
        modes.add(throughput("process per request (maxChildren " + maxChildren + ")",
                address -> new ForkingTCPServer(address, NamedHandlerFactory.ofClass(UpperHandler.class),
                        Forking.processPerRequest().withMaxChildren(maxChildren), true) {
                    @Override
                    public int requestQueueSize() {
                        return MAX_CONCURRENCY;
                    }
                }, duration, concurrency, 2));
        modes.add(throughput("pre-forked pool of " + pool,
                address -> new ForkingTCPServer(address, NamedHandlerFactory.ofClass(UpperHandler.class),
                        Forking.preforkedPool(pool), true) {
                    @Override
                    public int requestQueueSize() {
                        return MAX_CONCURRENCY;
                    }
                }, duration, concurrency, 1));
        modes.add(throughput("virtual threads (ThreadingTCPServer)",
                address -> new ThreadingTCPServer(address, UpperHandler::new) {
                    @Override
                    public int requestQueueSize() {
                        return MAX_CONCURRENCY;
                    }
                }, duration, concurrency, 1));
        results.put("throughput", modes);

        System.out.println(markdown(results, startups, duration, concurrency));
        System.out.println(Json.write(results));
    }

    // ------------------------------------------------------------------ start-up

    private static long[] bareJvmStartups(int count) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(Forking.DEFAULT_CHILD_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmptyMain.class.getName()));
        long[] millis = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            if (process.waitFor() != 0) {
                throw new IOException("the bare child JVM failed: " + command);
            }
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        return millis;
    }

    private static long[] sequentialForkedRequests(int count) throws Exception {
        long[] millis = new long[count];
        try (ForkingTCPServer server = new ForkingTCPServer(new InetSocketAddress("127.0.0.1", 0), UpperHandler.class)) {
            Thread serving = serve(server);
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                exchange(server.serverAddress());
                millis[i] = (System.nanoTime() - start) / 1_000_000;
            }
            server.shutdown();
            serving.join();
        }
        return millis;
    }

    // ------------------------------------------------------------------ throughput

    private interface ServerFactory {
        BaseServer<SocketChannel> open(InetSocketAddress address) throws IOException;
    }

    private static Map<String, Object> throughput(String name, ServerFactory factory, double seconds,
                                                  int concurrency, double warmupSeconds) throws Exception {
        System.err.println("fork bench: " + name + " ...");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", name);
        try (BaseServer<SocketChannel> server = factory.open(new InetSocketAddress("127.0.0.1", 0))) {
            Thread serving = serve(server);
            load(server.serverAddress(), concurrency, warmupSeconds, new Histogram()); // warm-up, not counted
            Histogram latency = new Histogram();
            long start = System.nanoTime();
            long completed = load(server.serverAddress(), concurrency, seconds, latency);
            double elapsed = (System.nanoTime() - start) / 1e9;
            row.put("requests", completed);
            row.put("requests_per_s", Math.round(completed / elapsed * 10) / 10.0);
            row.put("p50_ms", latency.percentile(50) / 1e6);
            row.put("p99_ms", latency.percentile(99) / 1e6);
            long closeStart = System.nanoTime();
            server.shutdown();
            server.serverClose();
            row.put("close_ms", (System.nanoTime() - closeStart) / 1_000_000);
            serving.join();
        }
        return row;
    }

    /** {@code concurrency} clients in a closed loop for {@code seconds}; returns the requests answered. */
    private static long load(SocketAddress address, int concurrency, double seconds, Histogram latency)
            throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Future<Long>> clients = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.add(executor.submit(() -> {
                    long done = 0;
                    List<Long> mine = new ArrayList<>();
                    while (System.nanoTime() < deadline && failure.get() == null) {
                        long start = System.nanoTime();
                        try {
                            exchange(address);
                        } catch (IOException e) {
                            failure.compareAndSet(null, e);
                            break;
                        }
                        mine.add(System.nanoTime() - start);
                        done++;
                    }
                    record(latency, mine);
                    return done;
                }));
            }
        }
        if (failure.get() != null) {
            throw new IOException("a bench client failed", failure.get());
        }
        long total = 0;
        for (Future<Long> client : clients) {
            total += client.get();
        }
        return total;
    }

    /** Records a client's latencies: once per client run, under a lock (the histogram is not thread-safe). */
    private static void record(Histogram histogram, List<Long> nanos) {
        HISTOGRAM_LOCK.lock();
        try {
            nanos.forEach(histogram::record);
        } finally {
            HISTOGRAM_LOCK.unlock();
        }
    }

    private static void exchange(SocketAddress address) throws IOException {
        try (SocketChannel channel = SocketChannel.open(address)) {
            ByteBuffer out = ByteBuffer.wrap(LINE);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            InputStream in = java.nio.channels.Channels.newInputStream(channel);
            byte[] reply = in.readAllBytes();
            if (reply.length != LINE.length) {
                throw new IOException("short answer: " + new String(reply, StandardCharsets.UTF_8));
            }
        }
    }

    private static Thread serve(BaseServer<?> server) {
        return Thread.ofPlatform().name("fork-bench-server").start(() -> {
            try {
                server.serveForever(Duration.ofMillis(50));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    // ------------------------------------------------------------------ report

    private static Map<String, Object> stats(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", sorted.length);
        m.put("min", sorted[0]);
        m.put("median", sorted[sorted.length / 2]);
        m.put("max", sorted[sorted.length - 1]);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> results, int startups, double duration, int concurrency) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> bare = (Map<String, Object>) results.get("bare_child_jvm_ms");
        Map<String, Object> seq = (Map<String, Object>) results.get("forked_request_sequential_ms");
        sb.append("| start-up (").append(startups).append(" runs) | min ms | median ms | max ms |\n");
        sb.append("|---|---:|---:|---:|\n");
        sb.append("| bare child JVM (start + exit, per-request child options) | ").append(bare.get("min")).append(" | ")
                .append(bare.get("median")).append(" | ").append(bare.get("max")).append(" |\n");
        sb.append("| one request through a per-request child (sequential) | ").append(seq.get("min")).append(" | ")
                .append(seq.get("median")).append(" | ").append(seq.get("max")).append(" |\n\n");
        sb.append("| mode (").append(concurrency).append(" clients, ").append((int) duration)
                .append(" s each) | requests/s | p50 ms | p99 ms | vs virtual threads |\n");
        sb.append("|---|---:|---:|---:|---:|\n");
        List<Map<String, Object>> modes = (List<Map<String, Object>>) results.get("throughput");
        double virtual = ((Number) modes.get(modes.size() - 1).get("requests_per_s")).doubleValue();
        for (Map<String, Object> row : modes) {
            double rps = ((Number) row.get("requests_per_s")).doubleValue();
            sb.append("| ").append(row.get("mode")).append(" | ").append(row.get("requests_per_s")).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", (Double) row.get("p50_ms"))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", (Double) row.get("p99_ms"))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.3f×", virtual == 0 ? 0 : rps / virtual)).append(" |\n");
        }
        return sb.toString();
    }
}
