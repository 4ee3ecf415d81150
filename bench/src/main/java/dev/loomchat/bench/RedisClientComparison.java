package dev.loomchat.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.params.XAddParams;

/**
 * {@code ./loomchat bench redis-clients --redis redis://127.0.0.1:P --threads 1,64,512 --duration 5}:
 * which Redis client serves virtual threads better, measured on the cluster's hot operation
 * (an {@code XADD ... MAXLEN ~} of a chat line). For each client and each thread count, that
 * many virtual threads each append in a loop for the duration; prints throughput, latency
 * percentiles and how many platform threads the client added.
 *
 * <ul>
 *   <li>Jedis: blocking socket I/O, a virtual thread parks on its socket;
 *       a pool of connections ({@code --pool}, like the server's 64), a thread borrows one per command.</li>
 *   <li>Lettuce (what the server uses, for these numbers): Netty event loop; the sync API parks the virtual thread on a future; all threads
 *       share one connection, so commands of concurrent threads are pipelined on it.</li>
 * </ul>
 * Loopback only, bounded in time. Each run writes to its own stream and deletes it after.
 */
final class RedisClientComparison {

    private RedisClientComparison() {
    }

    /** The options of {@code ./loomchat bench redis-clients}. */
    static final java.util.Set<String> OPTIONS = java.util.Set.of("redis", "duration", "pool", "threads");

    static void main(Flags f) throws Exception {
        URI uri;
        try {
            uri = URI.create(f.string("redis", "redis://127.0.0.1:6379"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--redis needs a redis://HOST:PORT URI: " + e.getMessage());
        }
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
            throw new UsageException("--redis needs a redis://HOST:PORT URI, not " + uri);
        }
        if (!InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
            throw new UsageException("refusing a non-loopback Redis: " + uri);
        }
        double seconds = Math.min(60, f.number("duration", 5));
        int pool = f.integer("pool", 64);
        List<Integer> threadCounts = new ArrayList<>();
        for (int t : f.integers("threads", "1,64,512")) {
            threadCounts.add(Math.min(10_000, t));
        }
        if (seconds <= 0 || pool < 1 || threadCounts.stream().anyMatch(t -> t < 1)) {
            throw new UsageException("redis-clients: --duration must be > 0, --pool and --threads at least 1");
        }
        // Nothing listening: one line now, rather than a client library's stack trace per thread.
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
        } catch (java.io.IOException e) {
            throw new NoConnectionException("redis-clients: cannot connect to " + uri + " (" + e.getMessage()
                    + "); start one with redis-server --port " + uri.getPort() + " --save \"\" --appendonly no");
        }
        Map<String, String> fields = Map.of("k", "SAY", "r", "#bench", "u", "someone",
                "d", "a chat line of a typical length, about sixty bytes long....", "t", "1700000000000");
        for (int threads : threadCounts) {
            int platformBefore = platformThreads();
            GenericObjectPoolConfig<Connection> poolConfig = new GenericObjectPoolConfig<>();
            poolConfig.setMaxTotal(pool);
            poolConfig.setMaxIdle(pool);
            poolConfig.setJmxEnabled(false);
            try (redis.clients.jedis.RedisClient jedis = redis.clients.jedis.RedisClient.builder()
                    .hostAndPort(new HostAndPort(uri.getHost(), uri.getPort()))
                    .clientConfig(DefaultJedisClientConfig.builder().resp2().build()).poolConfig(poolConfig).build()) {
                String stream = "loomchat:bench:jedis:" + threads;
                XAddParams params = XAddParams.xAddParams().maxLen(10_000).approximateTrimming();
                print("jedis", threads, platformBefore, run(threads, seconds, i -> jedis.xadd(stream, params, fields)));
                jedis.del(stream);
            }
            platformBefore = platformThreads();
            RedisClient lettuce = RedisClient.create(uri.toString());
            try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
                RedisCommands<String, String> sync = connection.sync();
                String stream = "loomchat:bench:lettuce:" + threads;
                XAddArgs args2 = XAddArgs.Builder.maxlen(10_000).approximateTrimming();
                print("lettuce", threads, platformBefore, run(threads, seconds, i -> sync.xadd(stream, args2, fields)));
                sync.del(stream);
            } finally {
                lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    private record Result(long ops, double seconds, Histogram latency, int platformThreads) {
    }

    private static Result run(int threads, double seconds, Consumer<Integer> op) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            op.accept(i); // warm-up: connections, JIT
        }
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder ops = new LongAdder();
        List<Histogram> histograms = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Histogram h = new Histogram();
            histograms.add(h);
            workers.add(Thread.ofVirtual().unstarted(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        long start = System.nanoTime();
                        op.accept(i);
                        h.record(System.nanoTime() - start);
                        ops.increment();
                    }
                } finally {
                    done.countDown();
                }
            }));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        done.await((long) (seconds * 1000), java.util.concurrent.TimeUnit.MILLISECONDS);
        int platform = platformThreads();
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram();
        histograms.forEach(all::add);
        return new Result(ops.sum(), elapsed, all, platform);
    }

    private static void print(String client, int threads, int platformBefore, Result r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("client", client);
        row.put("virtual_threads", threads);
        row.put("ops_per_s", Math.round(r.ops() / r.seconds()));
        row.put("p50_us", r.latency().percentile(50) / 1000);
        row.put("p99_us", r.latency().percentile(99) / 1000);
        row.put("platform_threads_added", r.platformThreads() - platformBefore);
        System.out.println(Json.write(row));
    }

    private static int platformThreads() {
        return Thread.getAllStackTraces().size(); // platform threads only: virtual ones are not listed
    }
}
