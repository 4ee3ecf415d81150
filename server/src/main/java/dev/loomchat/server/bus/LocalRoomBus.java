package dev.loomchat.server.bus;

import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single-process bus (the default): events are delivered on the publishing thread, at once.
 * The chat core publishes under the room's lock, so that lock alone orders a room; message ids
 * come from one counter, consecutive for the server's lifetime. Nicks are the core's own map:
 * nobody else can hold one.
 */
public final class LocalRoomBus implements RoomBus {

    public static final String NODE = "local";

    private final AtomicLong lastMessageId = new AtomicLong();
    private volatile Listener listener;

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
        return Snapshot.EMPTY; // a room nobody is in has no history here
    }

    @Override
    public void unfollow(String roomKey) {
    }

    @Override
    public void publish(String roomKey, RoomEvent event) {
        listener.deliver(roomKey, event instanceof RoomEvent.Said said
                ? said.withId(lastMessageId.incrementAndGet()) : event);
    }

    @Override
    public long nextMessageId() {
        return lastMessageId.incrementAndGet();
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
