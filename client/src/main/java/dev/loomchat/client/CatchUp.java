package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * What a re-join after a reconnect replays, held back until its {@code history} trailer says
 * whether it covers everything missed: if its oldest message is newer than the last one seen in
 * the room and the server says there is {@code more}, messages were missed beyond the replay, and
 * the client catches up from the last id it saw ({@code history} with {@code after}, page by page,
 * oldest first) instead of showing the replay; otherwise the held replay is shown (minus what was
 * seen). A server without paging never says {@code more}: the replay is shown as before.
 *
 * <p>Threading: frames are added and the decision taken on the connection's reader thread; the
 * reconnecting thread reads the decision after the trailer's reply completed.
 */
final class CatchUp {

    /** A replayed frame as received. */
    record Held(ServerMessage.ChatMessage message, String raw) {
    }

    private final Long lastSeen;
    private final List<Held> held = new ArrayList<>();
    private volatile boolean needed;
    /** Messages shown so far by the catch-up's pages. */
    private int shown;

    /** @param lastSeen the greatest id seen in the room before the drop, or {@code null} (none) */
    CatchUp(Long lastSeen) {
        this.lastSeen = lastSeen;
    }

    Long lastSeen() {
        return lastSeen;
    }

    void hold(ServerMessage.ChatMessage message, String raw) {
        held.add(new Held(message, raw));
    }

    /**
     * Decides at the re-join's trailer: true if messages were missed beyond the replay (catch up,
     * and drop what is held); false if the held replay is to be shown.
     */
    boolean decide(ServerMessage.History trailer) {
        needed = lastSeen != null && trailer.more() && !held.isEmpty() && held.getFirst().message().id() > lastSeen;
        return needed;
    }

    /** The replay held until the trailer. */
    List<Held> held() {
        return held;
    }

    /** Whether pages after {@link #lastSeen} are to be asked for. */
    boolean needed() {
        return needed;
    }

    void shownOne() {
        shown++;
    }

    int shown() {
        return shown;
    }
}
