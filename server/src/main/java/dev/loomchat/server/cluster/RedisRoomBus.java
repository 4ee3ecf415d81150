package dev.loomchat.server.cluster;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import dev.loomchat.server.BusUnavailableException;
import dev.loomchat.server.RoomBus;
import dev.loomchat.server.RoomEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The cluster bus: rooms shared by every node connected to one Redis (README "Cluster mode").
 *
 * <ul>
 *   <li>Each room is a Redis Stream {@code loomchat:room:KEY}. An entry's id is {@code 0-N}
 *       where N comes from one {@code INCR} counter, so the stream's order (Redis runs one
 *       command at a time) is the room's total order and N is the message id, unique and
 *       increasing across rooms and nodes. Trimmed with {@code MAXLEN ~}.</li>
 *   <li>One reader thread per node {@code XREAD BLOCK}s the streams of the rooms with local
 *       members, plus the node's inbox stream (private messages, wake-ups), and hands every
 *       entry to the hub in stream order.</li>
 *   <li>A nick is a key {@code loomchat:nick:KEY = NODE\tNick} with an expiry the owning node
 *       refreshes; a node's heartbeat key expires with it, and a live node reaps a dead node's
 *       room members (a {@code PART} on each room's log).</li>
 *   <li>Multi-key steps (append + membership change, nick claim, reap) are Lua scripts, so
 *       each is atomic.</li>
 * </ul>
 *
 * <p>Client: Jedis, blocking I/O on plain sockets, which a virtual thread parks on; requests
 * borrow a pooled connection, the reader owns one connection. Every Redis failure surfaces as
 * {@link BusUnavailableException}; the reader and the heartbeat retry by themselves.
 *
 * <p>Threading: all methods are safe from any thread.
 */
public final class RedisRoomBus implements RoomBus {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomBus.class);
    private static final String PREFIX = "loomchat:";
    private static final String IDS = PREFIX + "ids";
    private static final String ROOMS = PREFIX + "rooms";
    private static final String ROOM_NAMES = PREFIX + "roomnames";
    private static final String NODES = PREFIX + "nodes";
    private static final String STREAM = PREFIX + "room:";
    private static final String MEMBERS = PREFIX + "members:";
    private static final String NICK = PREFIX + "nick:";
    private static final String NODE = PREFIX + "node:";
    private static final String INBOX = PREFIX + "inbox:";
    /** How long one XREAD blocks; a wake-up entry on the inbox ends it early. */
    private static final int BLOCK_MILLIS = 1000;
    private static final int READ_BATCH = 1000;
    private static final int TIMEOUT_MILLIS = 2000;
    /** Inbox entries kept; a node reads its inbox continuously. */
    private static final int INBOX_MAXLEN = 10_000;
    /** Room log entries kept at least, whatever the history length: slack for a lagging reader. */
    private static final int MIN_STREAM_MAXLEN = 10_000;

    private static final RedisScript PUBLISH = RedisScript.load("publish");
    private static final RedisScript SNAPSHOT = RedisScript.load("snapshot");
    private static final RedisScript CLAIM = RedisScript.load("claim");
    private static final RedisScript RELEASE = RedisScript.load("release");
    private static final RedisScript DIRECT = RedisScript.load("direct");
    private static final RedisScript LIST_ROOMS = RedisScript.load("rooms");
    private static final RedisScript HEARTBEAT = RedisScript.load("heartbeat");

    private final String nodeId;
    private final HostAndPort address;
    private final Duration ttl;
    private final String maxlen;
    private final RedisClient redis;
    private final JedisClientConfig readerConfig;
    private final String inbox;
    /** Followed rooms: room key -> last stream id delivered (or the snapshot's). */
    private final Map<String, StreamEntryID> followed = new ConcurrentHashMap<>();
    /** Nicks this node holds: folded -> spelled. */
    private final Map<String, String> owned = new ConcurrentHashMap<>();
    /** The highest id this node assigned or read: seeds the counter of a Redis that lost it. */
    private final AtomicLong maxSeen = new AtomicLong();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final Condition stopping = lifecycle.newCondition();
    private volatile boolean closed;
    private volatile Listener listener;
    private volatile Jedis readerConnection;
    private Thread reader;
    private Thread heartbeat;

    /**
     * A bus on the Redis at {@code uri} ({@code redis://HOST:PORT}). Connects lazily: a node
     * whose Redis is down starts, refuses requests with {@code unavailable}, and recovers.
     *
     * @param ttl              how long a dead node's nicks and members outlive it
     * @param historyLength    chat lines a room keeps (the stream keeps more, see MIN_STREAM_MAXLEN)
     */
    public RedisRoomBus(URI uri, Duration ttl, int historyLength) {
        this.nodeId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.address = new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
        this.ttl = ttl;
        this.maxlen = Integer.toString(Math.max(MIN_STREAM_MAXLEN, historyLength * 4));
        this.inbox = INBOX + nodeId;
        JedisClientConfig requests = DefaultJedisClientConfig.builder().resp2()
                .connectionTimeoutMillis(TIMEOUT_MILLIS).socketTimeoutMillis(TIMEOUT_MILLIS)
                .clientName("loomchat-" + nodeId).build();
        this.readerConfig = DefaultJedisClientConfig.builder().resp2()
                .connectionTimeoutMillis(TIMEOUT_MILLIS).socketTimeoutMillis(BLOCK_MILLIS + TIMEOUT_MILLIS)
                .clientName("loomchat-" + nodeId + "-reader").build();
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
        pool.setJmxEnabled(false);
        this.redis = RedisClient.builder().hostAndPort(address).clientConfig(requests).poolConfig(pool).build();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void start(Listener newListener) {
        listener = newListener;
        beat();
        reader = Thread.ofVirtual().name("loomchat-redis-reader").start(this::readLoop);
        heartbeat = Thread.ofVirtual().name("loomchat-redis-heartbeat").start(this::heartbeatLoop);
        LOG.info("cluster node {} on redis://{}", nodeId, address);
    }

    // ---------------------------------------------------------------- nicks

    @Override
    public boolean claimNick(String key, String nick) {
        Object result = call(() -> CLAIM.run(redis, List.of(NICK + key),
                List.of(nodeId, Long.toString(ttl.toMillis()), NODE, nick)));
        boolean ok = ((List<?>) result).getFirst().equals(1L);
        if (ok) {
            owned.put(key, nick);
        }
        return ok;
    }

    @Override
    public void releaseNick(String key) {
        owned.remove(key);
        call(() -> RELEASE.run(redis, List.of(NICK + key), List.of(nodeId)));
    }

    // ---------------------------------------------------------------- rooms

    @Override
    public Snapshot follow(String roomKey, String roomName, int historyLimit) {
        String stream = STREAM + roomKey;
        List<?> snapshot = (List<?>) call(() -> SNAPSHOT.run(redis, List.of(stream, MEMBERS + roomKey), List.of()));
        StreamEntryID top = new StreamEntryID((String) snapshot.get(0));
        List<String> members = new ArrayList<>();
        for (Object value : (List<?>) snapshot.get(1)) {
            String owner = (String) value;
            members.add(owner.substring(owner.indexOf('\t') + 1));
        }
        List<RoomEvent> history = history(stream, top, historyLimit);
        followed.put(roomKey, top);
        seen(top.getSequence());
        call(() -> redis.xadd(inbox, XAddParams.xAddParams().maxLen(INBOX_MAXLEN).approximateTrimming(),
                Map.of("k", "WAKE"))); // so the reader adds this stream now, not after its block
        return new Snapshot(top.getSequence(), history, members);
    }

    /** Up to {@code limit} chat lines at or before {@code top}, oldest first. */
    private List<RoomEvent> history(String stream, StreamEntryID top, int limit) {
        List<RoomEvent> newestFirst = new ArrayList<>();
        String end = top.toString();
        while (limit > 0 && newestFirst.size() < limit && !end.equals("0-0")) {
            String from = end;
            List<StreamEntry> page = call(() -> redis.xrevrange(stream, from, "-", Math.max(64, limit * 2)));
            for (StreamEntry entry : page) {
                RoomEvent event = event(entry);
                if (event != null && event.kind() == RoomEvent.Kind.SAY && newestFirst.size() < limit) {
                    newestFirst.add(event);
                }
            }
            if (page.size() < Math.max(64, limit * 2)) {
                break;
            }
            end = "(" + page.getLast().getID();
        }
        return newestFirst.reversed();
    }

    @Override
    public void unfollow(String roomKey) {
        followed.remove(roomKey);
    }

    @Override
    public void publish(String roomKey, RoomEvent event) {
        String detailKey = event.kind() == RoomEvent.Kind.NICK ? ContentRules.fold(event.detail()) : "";
        Object id = call(() -> PUBLISH.run(redis,
                List.of(IDS, STREAM + roomKey, MEMBERS + roomKey, ROOMS, ROOM_NAMES),
                List.of(maxlen, event.kind().name(), event.room(), event.node(), event.nick(),
                        event.detail() == null ? "" : event.detail(), Long.toString(event.ts()),
                        event.ref() == null ? "" : "=" + event.ref(), roomKey, ContentRules.fold(event.nick()),
                        detailKey)));
        seen((Long) id);
    }

    @Override
    public long nextMessageId() {
        long id = call(() -> redis.incr(IDS));
        seen(id);
        return id;
    }

    @Override
    public ChatMessage sendDirect(String toKey, String from, String text, long ts) {
        Object result = call(() -> DIRECT.run(redis, List.of(NICK + toKey, IDS),
                List.of(from, text, Long.toString(ts), Integer.toString(INBOX_MAXLEN), INBOX, toKey)));
        if (!(result instanceof List<?> reply)) {
            return null;
        }
        long id = (Long) reply.get(0);
        seen(id);
        return ChatMessage.toNick(id, ts, from, (String) reply.get(1), text);
    }

    @Override
    public Optional<List<RoomInfo>> rooms(int max) {
        List<?> flat = (List<?>) call(() -> LIST_ROOMS.run(redis, List.of(ROOMS, ROOM_NAMES), List.of(MEMBERS)));
        List<RoomInfo> list = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            list.add(new RoomInfo((String) flat.get(i), Math.toIntExact((Long) flat.get(i + 1))));
        }
        list.sort(Comparator.comparingInt(RoomInfo::members).reversed().thenComparing(RoomInfo::room));
        return Optional.of(List.copyOf(list.subList(0, Math.min(list.size(), max))));
    }

    // ---------------------------------------------------------------- reader

    private void readLoop() {
        StreamEntryID inboxPosition = new StreamEntryID(0, 0); // a node's inbox is new with it
        long backoffMillis = 50;
        while (!closed) {
            try {
                if (readerConnection == null) {
                    readerConnection = new Jedis(address, readerConfig);
                }
                Map<String, StreamEntryID> streams = new LinkedHashMap<>();
                streams.put(inbox, inboxPosition);
                followed.forEach((key, position) -> streams.put(STREAM + key, position));
                var batches = readerConnection.xread(XReadParams.xReadParams().block(BLOCK_MILLIS).count(READ_BATCH),
                        streams);
                backoffMillis = 50;
                reachable(true);
                if (batches == null) {
                    continue;
                }
                for (Map.Entry<String, List<StreamEntry>> batch : batches) {
                    if (batch.getKey().equals(inbox)) {
                        for (StreamEntry entry : batch.getValue()) {
                            inboxPosition = entry.getID();
                            direct(entry);
                        }
                    } else {
                        deliver(batch.getKey().substring(STREAM.length()), batch.getValue());
                    }
                }
            } catch (JedisException | ClassCastException | IllegalArgumentException e) {
                if (closed) {
                    break;
                }
                reachable(false, e);
                closeReaderConnection();
                awaitStop(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 1000);
            } catch (RuntimeException e) {
                LOG.error("cluster reader: unexpected failure, continuing", e);
                awaitStop(backoffMillis);
            }
        }
        closeReaderConnection();
    }

    private void deliver(String roomKey, List<StreamEntry> entries) {
        for (StreamEntry entry : entries) {
            RoomEvent event = event(entry);
            seen(entry.getID().getSequence());
            if (event != null) {
                listener.deliver(roomKey, event);
            }
            StreamEntryID id = entry.getID();
            followed.computeIfPresent(roomKey, (k, old) -> id.compareTo(old) > 0 ? id : old);
        }
    }

    private void direct(StreamEntry entry) {
        Map<String, String> f = entry.getFields();
        if (!"MSG".equals(f.get("k"))) {
            return; // a wake-up
        }
        long id = Long.parseLong(f.get("i"));
        seen(id);
        listener.deliverDirect(f.get("to"), ChatMessage.toNick(id, Long.parseLong(f.get("t")), f.get("u"),
                f.get("n"), f.get("d")));
    }

    /** A room log entry as an event, or {@code null} for an entry this version does not know. */
    private static RoomEvent event(StreamEntry entry) {
        Map<String, String> f = entry.getFields();
        RoomEvent.Kind kind;
        try {
            kind = RoomEvent.Kind.valueOf(f.getOrDefault("k", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
        long position = entry.getID().getSequence();
        String detail = f.getOrDefault("d", "");
        String ref = f.getOrDefault("f", "");
        return new RoomEvent(kind, position, position, f.get("r"), f.get("n"), f.get("u"),
                detail.isEmpty() ? null : detail, Long.parseLong(f.get("t")), ref.isEmpty() ? null : ref.substring(1));
    }

    // ---------------------------------------------------------------- heartbeat

    private void heartbeatLoop() {
        long periodMillis = Math.max(100, ttl.toMillis() / 3);
        while (!closed) {
            awaitStop(periodMillis);
            if (!closed) {
                beat();
            }
        }
    }

    /** Heartbeat, reaping of dead nodes, and refresh of this node's nicks. Never throws. */
    private void beat() {
        try {
            Object reaped = HEARTBEAT.run(redis, List.of(NODES, ROOMS, ROOM_NAMES, IDS),
                    List.of(nodeId, Long.toString(ttl.toMillis()), NODE, MEMBERS, STREAM, maxlen,
                            Long.toString(maxSeen.get())));
            if (reaped instanceof Long count && count > 0) {
                LOG.info("reaped {} room memberships of nodes that stopped", count);
            }
            refreshNicks();
            reachable(true);
        } catch (JedisException | ClassCastException e) {
            reachable(false, e);
        }
    }

    private void refreshNicks() {
        List<Map.Entry<String, String>> nicks = List.copyOf(owned.entrySet());
        for (int from = 0; from < nicks.size(); from += 500) {
            List<Map.Entry<String, String>> chunk = nicks.subList(from, Math.min(nicks.size(), from + 500));
            List<String> keys = new ArrayList<>(chunk.size());
            List<String> args = new ArrayList<>(chunk.size() + 3);
            args.add(nodeId);
            args.add(Long.toString(ttl.toMillis()));
            args.add(NODE);
            for (Map.Entry<String, String> nick : chunk) {
                keys.add(NICK + nick.getKey());
                args.add(nick.getValue());
            }
            List<?> held = (List<?>) CLAIM.run(redis, keys, args);
            for (int i = 0; i < held.size(); i++) {
                if (!held.get(i).equals(1L)) {
                    // This node was cut off longer than the ttl and another took the nick over.
                    LOG.warn("nick {} is now held by another node", chunk.get(i).getValue());
                }
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    private <T> T call(Supplier<T> command) {
        try {
            T result = command.get();
            reachable(true);
            return result;
        } catch (JedisException e) {
            reachable(false, e);
            throw new BusUnavailableException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    private void seen(long id) {
        maxSeen.accumulateAndGet(id, Math::max);
    }

    private void reachable(boolean now) {
        if (now && reachable.compareAndSet(false, true)) {
            LOG.info("redis://{} reachable again", address);
        }
    }

    private void reachable(boolean now, JedisException e) {
        if (e instanceof JedisConnectionException) {
            redis.getPool().clear(); // idle connections to a Redis that went away are dead
        }
        if (!now && reachable.compareAndSet(true, false)) {
            LOG.warn("redis://{} unreachable: {}", address, e.getMessage());
        }
    }

    private void reachable(boolean now, RuntimeException e) {
        if (e instanceof JedisException jedis) {
            reachable(now, jedis);
        } else {
            LOG.warn("cluster reader: bad entry: {}", e.toString());
        }
    }

    private void awaitStop(long millis) {
        lifecycle.lock();
        try {
            if (!closed) {
                stopping.await(millis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lifecycle.unlock();
        }
    }

    private void closeReaderConnection() {
        Jedis connection = readerConnection;
        readerConnection = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException e) {
                // Closed either way.
            }
        }
    }

    /**
     * Stops the reader and the heartbeat, frees this node's nicks and heartbeat at once (best
     * effort: they expire anyway), and closes the connections.
     */
    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            stopping.signalAll();
        } finally {
            lifecycle.unlock();
        }
        closeReaderConnection(); // ends a blocked XREAD
        try {
            if (reader != null) {
                reader.join(Duration.ofMillis(BLOCK_MILLIS + TIMEOUT_MILLIS));
            }
            if (heartbeat != null) {
                heartbeat.join(Duration.ofMillis(TIMEOUT_MILLIS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (String key : List.copyOf(owned.keySet())) {
                RELEASE.run(redis, List.of(NICK + key), List.of(nodeId));
            }
            redis.del(NODE + nodeId, inbox);
        } catch (JedisException e) {
            LOG.debug("cluster close: {}", e.getMessage());
        }
        redis.close();
    }
}
