package dev.loomchat.server.bus;

import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import dev.loomchat.server.store.MessageStore;
import dev.loomchat.server.store.StoreUnavailableException;
import dev.loomchat.server.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-process bus (the default): events are delivered on the publishing thread, at once.
 * The chat core publishes under the room's lock, so that lock alone orders a room. Nicks are the
 * core's own map: nobody else can hold one.
 *
 * <p>With a {@link MessageStore} (README "History store"), ids come from the store (increasing
 * across restarts), every chat line is handed to it before it is delivered, and a room that
 * starts being followed gets its recent history from it; {@link #history} pages through it.
 * Without one, ids come from one counter, consecutive for the server's lifetime, and a room
 * nobody is in has no history.
 */
public final class LocalRoomBus implements RoomBus {

    public static final String NODE = "local";
    private static final Logger LOG = LoggerFactory.getLogger(LocalRoomBus.class);

    private final AtomicLong lastMessageId = new AtomicLong();
    private final MessageStore store;
    private volatile Listener listener;

    /** In memory only. */
    public LocalRoomBus() {
        this(null);
    }

    /** On {@code store} ({@code null}: in memory only); the bus does not close it. */
    public LocalRoomBus(MessageStore store) {
        this.store = store;
    }

    @Override
    public String nodeId() {
        return NODE;
    }

    @Override
    public void start(Listener newListener) {
        listener = newListener;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public boolean claimNick(String key, String nick) {
        return true;
    }

    @Override
    public void releaseNick(String key) {
    }

    @Override
    public Snapshot follow(String roomKey, String roomName, int historyLimit) {
        if (store == null || historyLimit == 0) {
            return Snapshot.EMPTY; // a room nobody is in has no history here
        }
        try {
            return new Snapshot(0, lines(roomName, store.before(roomKey, Long.MAX_VALUE, historyLimit).messages()),
                    List.of());
        } catch (StoreUnavailableException e) {
            LOG.warn("history of {} not loaded: {}", roomName, e.getMessage());
            return Snapshot.EMPTY; // the room works without its past
        }
    }

    @Override
    public void unfollow(String roomKey) {
    }

    @Override
    public void publish(String roomKey, RoomEvent event) {
        if (event instanceof RoomEvent.Said said) {
            event = store == null ? said.withId(lastMessageId.incrementAndGet()) : stored(roomKey, said);
        }
        listener.deliver(roomKey, event);
    }

    private RoomEvent.Said stored(String roomKey, RoomEvent.Said said) {
        RoomEvent.Said line = said.withId(store.nextId());
        try {
            store.append(new StoredMessage(line.id(), roomKey, line.nick(), line.text(), line.ts()));
        } catch (StoreUnavailableException e) {
            throw new BusUnavailableException(e.getMessage(), e);
        }
        return line;
    }

    @Override
    public long nextMessageId() {
        return store == null ? lastMessageId.incrementAndGet() : store.nextId();
    }

    @Override
    public Optional<Page> history(String roomKey, String roomName, Long before, Long after, int limit) {
        if (store == null) {
            return Optional.empty();
        }
        try {
            MessageStore.Page page = after != null ? store.after(roomKey, after, limit)
                    : store.before(roomKey, before, limit);
            return Optional.of(new Page(lines(roomName, page.messages()), page.more()));
        } catch (StoreUnavailableException e) {
            throw new BusUnavailableException(e.getMessage(), e);
        }
    }

    private static List<RoomEvent.Said> lines(String roomName, List<StoredMessage> messages) {
        List<RoomEvent.Said> lines = new ArrayList<>(messages.size());
        for (StoredMessage m : messages) {
            lines.add(new RoomEvent.Said(0, m.id(), roomName, NODE, m.from(), m.text(), m.ts(), null));
        }
        return lines;
    }

    @Override
    public boolean keepsHistory() {
        return store != null;
    }

    @Override
    public Map<String, Long> stats() {
        return store == null ? Map.of() : store.stats();
    }

    @Override
    public ChatMessage sendDirect(String toKey, String from, String text, long ts) {
        return null;
    }

    @Override
    public Optional<List<RoomInfo>> rooms(int max) {
        return Optional.empty();
    }

    @Override
    public void close() {
    }
}
