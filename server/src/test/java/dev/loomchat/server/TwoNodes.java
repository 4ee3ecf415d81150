package dev.loomchat.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The set-up of the cluster tests that run their nodes in this JVM: a fresh
 * {@code redis-server} and two {@link ChatServer}s on it, with the same configuration. Closed
 * nodes first, then Redis.
 */
final class TwoNodes implements AutoCloseable {

    /** How long a node's nicks and memberships outlive it: longer than any test. */
    static final Duration TTL = Duration.ofSeconds(30);

    final TestRedis redis;
    final ChatServer n1;
    final ChatServer n2;

    private TwoNodes(TestRedis redis, ChatServer n1, ChatServer n2) {
        this.redis = redis;
        this.n1 = n1;
        this.n2 = n2;
    }

    /**
     * Starts Redis in {@code dir} ({@code durable}: with an append-only file, for tests that
     * restart it) and two nodes configured by {@code config} plus the cluster settings.
     */
    static TwoNodes start(Path dir, boolean durable, ChatConfig.Builder config) throws Exception {
        TestRedis redis = TestRedis.start(dir, durable);
        ChatServer n1 = null;
        try {
            ChatConfig cluster = config.cluster(redis.uri()).clusterTtl(TTL).build();
            n1 = ChatServer.start(cluster);
            return new TwoNodes(redis, n1, ChatServer.start(cluster));
        } catch (Exception | Error e) {
            if (n1 != null) {
                n1.close();
            }
            redis.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            n1.close();
            n2.close();
        } finally {
            redis.close();
        }
    }
}
