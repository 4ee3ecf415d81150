package dev.loomchat.server.bus.redis;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import dev.loomchat.server.bus.BusUnavailableException;
import dev.loomchat.server.bus.RoomBus;
import dev.loomchat.server.bus.RoomEvent;
import dev.loomchat.server.chat.BanStore;
import dev.loomchat.server.store.AccountRecords;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
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
import java.util.function.BiFunction;
import java.util.function.Supplier;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *       entry to the chat core in stream order.</li>
 *   <li>A nick is a key {@code loomchat:nick:KEY = NODE\tNick} with an expiry the owning node
 *       refreshes; a node's heartbeat key expires with it, and a live node reaps a dead node's
 *       room members (a {@code PART} on each room's log).</li>
 *   <li>Multi-key steps (append + membership change, nick claim, reap) are Lua scripts, so
 *       each is atomic.</li>
 * </ul>
 *
 * <p>Client: Lettuce (README "Cluster mode" says why, with numbers). Requests of every virtual
 * thread share one connection, which pipelines them; the sync API parks the calling virtual
 * thread on the reply's future. The reader owns a second connection for its blocking XREAD. Every Redis failure surfaces as
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
    /** {@code KICKED + roomKey + "\t" + nickKey}: that member was kicked (see {@link #publishMemberLine}). */
    private static final String KICKED = PREFIX + "kicked:";
    /**
     * How long a kick is remembered for refusing the kicked member's lines: far longer than a
     * line can take from its node's check to Redis, short enough that kicks leave no litter.
     */
    private static final long KICK_MEMORY_MILLIS = Duration.ofMinutes(10).toMillis();
    /** How long one XREAD blocks; a wake-up entry on the inbox ends it early. */
    private static final int BLOCK_MILLIS = 1000;
    private static final int READ_BATCH = 1000;
    private static final int TIMEOUT_MILLIS = 2000;
    /** Inbox entries kept; a node reads its inbox continuously. */
    private static final int INBOX_MAXLEN = 10_000;
    /** Room log entries kept at least, whatever the history length: slack for a lagging reader. */
    private static final int MIN_STREAM_MAXLEN = 10_000;

    private static final RedisScript PUBLISH = RedisScript.load("publish", ScriptOutputType.INTEGER);
    private static final RedisScript SNAPSHOT = RedisScript.load("snapshot", ScriptOutputType.MULTI);
    private static final RedisScript CLAIM = RedisScript.load("claim", ScriptOutputType.MULTI);
    private static final RedisScript RELEASE = RedisScript.load("release", ScriptOutputType.INTEGER);
    private static final RedisScript DIRECT = RedisScript.load("direct", ScriptOutputType.MULTI);
    private static final RedisScript LIST_ROOMS = RedisScript.load("rooms", ScriptOutputType.MULTI);
    private static final RedisScript HEARTBEAT = RedisScript.load("heartbeat", ScriptOutputType.INTEGER);
    private static final RedisScript NICKS = RedisScript.load("nicks", ScriptOutputType.MULTI);

    private final String nodeId;
    private final String address;
    private final Duration ttl;
    private final String maxlen;
    private final ClientResources resources;
    private final RedisClient client;
    /** Requests of every virtual thread share this connection: Lettuce pipelines them. */
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final String inbox;
    /** Followed rooms: room key -> last stream id delivered (or the snapshot's). */
    private final Map<String, String> followed = new ConcurrentHashMap<>();
    /** Parts not yet published (Redis was unreachable): room + "\n" + folded nick -> part. */
    private final Map<String, Pending> pendingParts = new ConcurrentHashMap<>();
    /** Nicks this node holds: folded -> spelled. */
    private final Map<String, String> owned = new ConcurrentHashMap<>();
    /** The highest id this node assigned or read: seeds the counter of a Redis that lost it. */
    private final AtomicLong maxSeen = new AtomicLong();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final Condition stopping = lifecycle.newCondition();
    private volatile boolean closed;
    /** When this node may reap dead nodes (System.nanoTime); MAX_VALUE: after the next good beat + ttl. */
    private volatile long reapAfterNanos = Long.MAX_VALUE;
    private volatile Listener listener;
    private volatile StatefulRedisConnection<String, String> readerConnection;
    /** Wraps the body of an essential thread: the node fails if one dies. */
    private final BiFunction<String, Runnable, Runnable> essential;
    private Thread reader;
    private Thread heartbeat;

    /**
     * A bus on the Redis at {@code uri} ({@code redis://HOST:PORT}). Connects now, so a node
     * whose Redis cannot be reached fails at start; once connected it rides out outages (requests
     * refused with {@link BusUnavailableException}, reconnection by itself).
     *
     * @throws BusUnavailableException if Redis cannot be reached
     * @param ttl              how long a dead node's nicks and members outlive it
     * @param historyLength    chat lines a room keeps (the stream keeps more, see MIN_STREAM_MAXLEN)
     * @param essential        wraps the bodies of the reader and heartbeat threads, named: the node fails if one dies
     */
    public RedisRoomBus(URI uri, Duration ttl, int historyLength, BiFunction<String, Runnable, Runnable> essential) {
        this.essential = essential;
        this.nodeId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        this.address = host + ":" + port;
        this.ttl = ttl;
        this.maxlen = Integer.toString(Math.max(MIN_STREAM_MAXLEN, historyLength * 4));
        this.inbox = INBOX + nodeId;
        // Reconnect fast (a Redis restart should cost seconds, not Lettuce's default 30 s backoff),
        // and refuse commands while disconnected instead of queueing them: a send is then refused
        // with `unavailable` at once rather than held and maybe lost.
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.builder().withHost(host).withPort(port)
                .withTimeout(Duration.ofMillis(TIMEOUT_MILLIS)).withClientName("loomchat-" + nodeId).build());
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(TIMEOUT_MILLIS))).build());
        StatefulRedisConnection<String, String> connected;
        try {
            connected = client.connect();
        } catch (RedisException e) {
            resources.shutdown();
            throw new BusUnavailableException("cannot reach redis://" + address + ": " + e.getMessage(), e);
        }
        this.connection = connected;
        this.redis = connected.sync();
    }

    /**
     * The cluster's accounts, in this Redis, on this bus's connection: shared by every node
     * (README "Accounts").
     */
    public AccountRecords accounts() {
        return new RedisAccountRecords(redis);
    }

    /** The cluster's server bans, in this Redis, on this bus's connection: shared by every node. */
    public BanStore bans() {
        return new RedisBanStore(redis);
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
    public boolean keepsHistory() {
        return true;
    }

    @Override
    public void start(Listener newListener) {
        listener = newListener;
        beat();
        reader = Thread.ofVirtual().name("loomchat-redis-reader").start(essential.apply("redis-reader", this::readLoop));
        heartbeat = Thread.ofVirtual().name("loomchat-redis-heartbeat")
                .start(essential.apply("redis-heartbeat", this::heartbeatLoop));
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

    @Override
    public Map<String, String> nicksElsewhere(List<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        List<?> spelled = (List<?>) call(() -> NICKS.run(redis, keys.stream().map(k -> NICK + k).toList(),
                List.of(nodeId, NODE)));
        Map<String, String> held = new LinkedHashMap<>();
        for (int i = 0; i < keys.size() && i < spelled.size(); i++) {
            if (spelled.get(i) instanceof String nick && !nick.isEmpty()) {
                held.put(keys.get(i), nick);
            }
        }
        return held;
    }

    // ---------------------------------------------------------------- rooms

    @Override
    public Snapshot follow(String roomKey, String roomName, int historyLimit) {
        String stream = STREAM + roomKey;
        List<?> snapshot = (List<?>) call(() -> SNAPSHOT.run(redis, List.of(stream, MEMBERS + roomKey), List.of()));
        String top = (String) snapshot.get(0);
        List<String> members = new ArrayList<>();
        for (Object value : (List<?>) snapshot.get(1)) {
            String owner = (String) value;
            members.add(owner.substring(owner.indexOf('\t') + 1));
        }
        List<RoomEvent.Said> history = history(stream, top, historyLimit);
        followed.put(roomKey, top);
        seen(sequence(top));
        call(() -> redis.xadd(inbox, XAddArgs.Builder.maxlen(INBOX_MAXLEN).approximateTrimming(),
                Map.of("k", "WAKE"))); // so the reader adds this stream now, not after its block
        return new Snapshot(sequence(top), history, members);
    }

    /** Up to {@code limit} chat lines at or before {@code top}, oldest first. */
    private List<RoomEvent.Said> history(String stream, String top, int limit) {
        List<RoomEvent.Said> newestFirst = new ArrayList<>();
        int pageSize = Math.max(64, limit * 2);
        Range.Boundary<String> end = Range.Boundary.including(top);
        while (limit > 0 && newestFirst.size() < limit && !top.equals("0-0")) {
            Range<String> range = Range.from(Range.Boundary.unbounded(), end);
            List<StreamMessage<String, String>> page = call(() -> redis.xrevrange(stream, range,
                    Limit.create(0, pageSize)));
            for (StreamMessage<String, String> entry : page) {
                if (event(entry) instanceof RoomEvent.Said said && newestFirst.size() < limit) {
                    newestFirst.add(said);
                }
            }
            if (page.size() < pageSize) {
                break;
            }
            end = Range.Boundary.excluding(page.getLast().getId());
        }
        return newestFirst.reversed();
    }

    /**
     * A page of the room's stream by id ({@code XRANGE} after, {@code XREVRANGE} before), chat
     * lines only; as deep as the stream is kept (trimmed to {@code maxlen} entries).
     */
    @Override
    public Optional<Page> history(String roomKey, String roomName, Long before, Long after, int limit) {
        String stream = STREAM + roomKey;
        List<RoomEvent.Said> found = new ArrayList<>();
        int pageSize = Math.max(64, (limit + 1) * 2);
        if (after != null) {
            long from = after + 1;
            while (found.size() <= limit && from > after) {
                Range<String> range = Range.from(Range.Boundary.including("0-" + from), Range.Boundary.unbounded());
                List<StreamMessage<String, String>> page = call(() -> redis.xrange(stream, range,
                        Limit.create(0, pageSize)));
                for (StreamMessage<String, String> entry : page) {
                    if (event(entry) instanceof RoomEvent.Said said) {
                        found.add(said);
                    }
                }
                if (page.size() < pageSize) {
                    break;
                }
                from = sequence(page.getLast().getId()) + 1;
            }
            boolean more = found.size() > limit;
            return Optional.of(new Page(found.subList(0, Math.min(limit, found.size())), more));
        }
        long to = before - 1;
        while (found.size() <= limit && to >= 1) {
            Range<String> range = Range.from(Range.Boundary.unbounded(), Range.Boundary.including("0-" + to));
            List<StreamMessage<String, String>> page = call(() -> redis.xrevrange(stream, range,
                    Limit.create(0, pageSize)));
            for (StreamMessage<String, String> entry : page) {
                if (event(entry) instanceof RoomEvent.Said said) {
                    found.add(said);
                }
            }
            if (page.size() < pageSize) {
                break;
            }
            to = sequence(page.getLast().getId()) - 1;
        }
        boolean more = found.size() > limit;
        return Optional.of(new Page(found.subList(0, Math.min(limit, found.size())).reversed(), more));
    }

    /** The sequence N of a stream id {@code 0-N} (this bus writes only such ids). */
    private static long sequence(String streamId) {
        return Long.parseLong(streamId, streamId.indexOf('-') + 1, streamId.length(), 10);
    }

    @Override
    public void unfollow(String roomKey) {
        followed.remove(roomKey);
    }

    @Override
    public void publish(String roomKey, RoomEvent event) {
        String pendingKey = roomKey + '\n' + ContentRules.fold(RoomLogEntry.nick(event));
        if (event instanceof RoomEvent.Joined) {
            pendingParts.remove(pendingKey); // back in the room: an older part must not follow
        }
        try {
            call(() -> append(roomKey, event));
        } catch (BusUnavailableException e) {
            if (event instanceof RoomEvent.Parted) {
                // The member has left here; tell the other nodes once Redis is back (heartbeat).
                pendingParts.put(pendingKey, new Pending(roomKey, event));
            }
            throw e;
        }
    }

    /** Refused (false) if this member's kick is already in the room's log: publish.lua checks it atomically. */
    @Override
    public boolean publishMemberLine(String roomKey, RoomEvent.Said line) {
        return call(() -> append(roomKey, line, true)) != 0;
    }

    /** A part that could not be published yet. */
    private record Pending(String roomKey, RoomEvent event) {
    }

    /** Runs the publish script; Redis failures are thrown as they are. */
    private long append(String roomKey, RoomEvent event) {
        return append(roomKey, event, false);
    }

    /**
     * Runs the publish script ({@code memberLine}: refuse a line whose speaker's kick is logged);
     * returns the entry's id, 0 if refused. Redis failures are thrown as they are.
     */
    private long append(String roomKey, RoomEvent event, boolean memberLine) {
        String nick = RoomLogEntry.nick(event);
        String nickKey = ContentRules.fold(nick);
        String detailKey = event instanceof RoomEvent.Renamed renamed ? ContentRules.fold(renamed.newNick()) : "";
        Object id = PUBLISH.run(redis,
                List.of(IDS, STREAM + roomKey, MEMBERS + roomKey, ROOMS, ROOM_NAMES, KICKED + roomKey + '\t' + nickKey),
                List.of(maxlen, RoomLogEntry.kind(event), event.room(), event.node(), nick,
                        RoomLogEntry.detail(event), Long.toString(event.ts()), RoomLogEntry.ref(event), roomKey,
                        nickKey, detailKey, memberLine ? "m" : "", Long.toString(KICK_MEMORY_MILLIS)));
        seen((Long) id);
        return (Long) id;
    }

    /** Publishes the parts that Redis missed while it was unreachable. */
    private void flushPendingParts() {
        for (Map.Entry<String, Pending> pending : List.copyOf(pendingParts.entrySet())) {
            append(pending.getValue().roomKey(), pending.getValue().event());
            pendingParts.remove(pending.getKey(), pending.getValue());
        }
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
        if (!(result instanceof List<?> reply) || reply.isEmpty()) {
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
        list.sort(RoomBus.ROOM_ORDER);
        return Optional.of(List.copyOf(list.subList(0, Math.min(list.size(), max))));
    }

    // ---------------------------------------------------------------- reader

    private void readLoop() {
        String inboxPosition = "0-0"; // a node's inbox is new with it
        long backoffMillis = 50;
        while (!closed) {
            try {
                StatefulRedisConnection<String, String> reading = readerConnection;
                if (reading == null) {
                    reading = client.connect();
                    reading.setTimeout(Duration.ofMillis(BLOCK_MILLIS + TIMEOUT_MILLIS));
                    readerConnection = reading;
                }
                List<XReadArgs.StreamOffset<String>> streams = new ArrayList<>();
                streams.add(XReadArgs.StreamOffset.from(inbox, inboxPosition));
                followed.forEach((key, position) -> streams.add(XReadArgs.StreamOffset.from(STREAM + key, position)));
                @SuppressWarnings("unchecked")
                XReadArgs.StreamOffset<String>[] offsets = streams.toArray(XReadArgs.StreamOffset[]::new);
                List<StreamMessage<String, String>> entries = reading.sync().xread(
                        XReadArgs.Builder.block(BLOCK_MILLIS).count(READ_BATCH), offsets);
                backoffMillis = 50;
                reachable(true);
                for (StreamMessage<String, String> entry : entries) {
                    if (entry.getStream().equals(inbox)) {
                        inboxPosition = entry.getId();
                        direct(entry);
                    } else {
                        deliver(entry.getStream().substring(STREAM.length()), entry);
                    }
                }
            } catch (RedisException e) {
                if (closed) {
                    break;
                }
                reachable(false, e);
                awaitStop(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 1000);
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.error("cluster reader: unexpected failure, continuing", e);
                awaitStop(backoffMillis);
            }
        }
        closeReaderConnection();
    }

    private void deliver(String roomKey, StreamMessage<String, String> entry) {
        RoomEvent event = event(entry);
        String id = entry.getId();
        long sequence = sequence(id);
        seen(sequence);
        if (event != null) {
            listener.deliver(roomKey, event);
        }
        followed.computeIfPresent(roomKey, (k, old) -> sequence > sequence(old) ? id : old);
    }

    private void direct(StreamMessage<String, String> entry) {
        Map<String, String> f = entry.getBody();
        if (!"MSG".equals(f.get("k"))) {
            return; // a wake-up
        }
        long id = Long.parseLong(f.get("i"));
        seen(id);
        listener.deliverDirect(f.get("to"), ChatMessage.toNick(id, Long.parseLong(f.get("t")), f.get("u"),
                f.get("n"), f.get("d")));
    }

    /** A room log entry as an event, or {@code null} for an entry this version does not know. */
    private static RoomEvent event(StreamMessage<String, String> entry) {
        return RoomLogEntry.decode(sequence(entry.getId()), entry.getBody());
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

    /**
     * Heartbeat, reaping of dead nodes, and refresh of this node's nicks. Never throws. After
     * this node lost Redis (and so, most likely, every node did), it waits one ttl before
     * reaping, so that live nodes have beaten again and are not taken for dead.
     */
    private void beat() {
        long now = System.nanoTime();
        try {
            if (reapAfterNanos == Long.MAX_VALUE) {
                reapAfterNanos = now + ttl.toNanos();
            }
            boolean mayReap = now - reapAfterNanos >= 0;
            Object reaped = HEARTBEAT.run(redis, List.of(NODES, ROOMS, ROOM_NAMES, IDS),
                    List.of(nodeId, Long.toString(ttl.toMillis()), NODE, MEMBERS, STREAM, maxlen,
                            Long.toString(maxSeen.get()), mayReap ? "1" : "0"));
            if (reaped instanceof Long count && count > 0) {
                LOG.info("reaped {} room memberships of nodes that stopped", count);
            }
            refreshNicks();
            flushPendingParts();
            reachable(true);
        } catch (RedisException e) {
            reapAfterNanos = Long.MAX_VALUE;
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
        } catch (RedisException e) {
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

    private void reachable(boolean now, RedisException e) {
        if (!now && reachable.compareAndSet(true, false)) {
            LOG.warn("redis://{} unreachable: {}", address, e.getMessage());
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
        StatefulRedisConnection<String, String> reading = readerConnection;
        readerConnection = null;
        if (reading != null) {
            try {
                reading.close();
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
        } catch (RedisException e) {
            LOG.debug("cluster close: {}", e.getMessage());
        }
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
