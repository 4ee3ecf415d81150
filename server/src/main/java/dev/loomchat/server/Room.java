package dev.loomchat.server;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A room: its members and its recent history.
 *
 * <p>Every change and every fan-out happens under the room's {@link #lock()}: a message gets its
 * id, enters the history and is queued to every member in one step, so all members see the
 * room's messages in id order and a joiner's replay ends exactly where its live messages begin.
 * Fan-out only queues frames (never waits for a receiver), so the lock is held briefly.
 * A room whose last member left is {@linkplain #discarded() discarded}: its history goes too.
 *
 * <p>On a cluster node the room is this node's view of a shared room: {@link #members()} are the
 * local sessions, {@link #roster()} every member on any node, the history a cache of the shared
 * log's tail, and {@link #position()} how far along that log this node has delivered.
 */
final class Room {

    private final String name;
    private final int historyLength;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Session> members = new LinkedHashSet<>();
    private final HistoryBudget budget;
    /** Oldest first; a prefix may be entries the budget has forgotten. */
    private final ArrayDeque<HistoryBudget.Entry> history;
    /** Every member on any node, folded nick -> nick, in join order. */
    private final Map<String, String> roster = new LinkedHashMap<>();
    private long position;
    private boolean discarded;

    Room(String name, int historyLength, HistoryBudget budget) {
        this.name = name;
        this.historyLength = historyLength;
        this.budget = budget;
        this.history = new ArrayDeque<>(Math.min(historyLength, 16));
    }

    /** The room's name as first created (names compare case-insensitively). */
    String name() {
        return name;
    }

    ReentrantLock lock() {
        return lock;
    }

    // Everything below: call with lock() held.

    boolean discarded() {
        return discarded;
    }

    void discard() {
        discarded = true;
        budget.releaseAll(history);
        history.clear();
    }

    Set<Session> members() {
        return members;
    }

    /** Every member on any node (folded nick -> nick), in join order. */
    Map<String, String> roster() {
        return roster;
    }

    /** Renames a roster entry in place (its join order stays). */
    void rename(String oldKey, String newKey, String newNick) {
        if (!roster.containsKey(oldKey)) {
            return;
        }
        Map<String, String> renamed = new LinkedHashMap<>();
        roster.forEach((key, nick) -> {
            if (key.equals(oldKey)) {
                renamed.put(newKey, newNick);
            } else {
                renamed.putIfAbsent(key, nick);
            }
        });
        roster.clear();
        roster.putAll(renamed);
    }

    /** The log position of the last event delivered here (0: the bus has no positions). */
    long position() {
        return position;
    }

    void position(long value) {
        position = value;
    }

    int memberCount() {
        return members.size();
    }

    void remember(ChatMessage message) {
        if (historyLength == 0) {
            return;
        }
        dropForgotten();
        HistoryBudget.Entry trimmed = history.size() == historyLength ? history.removeFirst() : null;
        history.addLast(budget.remember(message, trimmed));
    }

    /** The last {@code limit} messages still remembered, oldest first. */
    List<ChatMessage> recent(int limit) {
        dropForgotten();
        int skip = Math.max(0, history.size() - limit);
        List<ChatMessage> recent = new ArrayList<>(history.size() - skip);
        int i = 0;
        for (HistoryBudget.Entry entry : history) {
            ChatMessage message = entry.message();
            if (i++ >= skip && message != null) {
                recent.add(message);
            }
        }
        return recent;
    }

    /** Drops the shells of messages the budget forgot (always the oldest). */
    private void dropForgotten() {
        while (!history.isEmpty() && history.peekFirst().message() == null) {
            history.removeFirst();
        }
    }

    /** Queues {@code frame} to every member except {@code except} (may be null). */
    void broadcast(Frame frame, Session except) {
        for (Session member : members) {
            if (member != except) {
                member.send(frame);
            }
        }
    }
}
