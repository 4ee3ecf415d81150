package dev.loomchat.server.chat;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import dev.loomchat.server.bus.RoomBus;
import dev.loomchat.server.bus.RoomEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A room: its members, its roster, its recent history, and the fan-out of its events.
 *
 * <p>Every change and every fan-out happens under the room's {@link #lock()}: a message gets its
 * id, enters the history and is queued to every member in one step, so all members see the
 * room's messages in id order and a joiner's replay ends exactly where its live messages begin.
 * Fan-out only queues (never waits for a receiver), so the lock is held briefly, and it hands
 * every member the same {@link Outgoing}: one encoding per wire format, not per member.
 * A room whose last member left is {@linkplain #discarded() discarded}: its history goes too.
 * The history is bounded by length here and, across all rooms, in bytes by the
 * {@link HistoryBudget}.
 *
 * <p>On a cluster node the room is this node's view of a shared room: {@link #members()} are the
 * local sessions, the roster every member on any node, the history a cache of the shared log's
 * tail, and {@link #position()} how far along that log this node has delivered.
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
    /** Whether the bus keeps the room's log, so that messages gone from {@link #history} can still be paged. */
    private final boolean logged;
    /** Whether the log has messages older than the oldest in {@link #history} (only when {@link #logged}). */
    private boolean olderInLog;
    private long position;
    private boolean discarded;
    private final RoomModes modes = new RoomModes();

    Room(String name, int historyLength, HistoryBudget budget, boolean logged) {
        this.name = name;
        this.historyLength = historyLength;
        this.budget = budget;
        this.logged = logged;
        this.history = new ArrayDeque<>(Math.min(historyLength, 16));
    }

    /** The room's name as first created (names compare case-insensitively). */
    String name() {
        return name;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** The topic, operators and modes (lock held). */
    RoomModes modes() {
        return modes;
    }

    /** The member {@code nick} as the roster spells it, or {@code null} if it is not in the room (lock held). */
    String member(String nick) {
        return roster.get(ContentRules.fold(nick));
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

    /** The local members. */
    Set<Session> members() {
        return members;
    }

    int memberCount() {
        return members.size();
    }

    /** Adds a local member (already announced on the bus). */
    void add(Session session) {
        members.add(session);
        roster.put(ContentRules.fold(session.nick()), session.nick());
    }

    /** Removes a local member; returns whether members are left here. */
    boolean remove(Session session) {
        members.remove(session);
        if (members.isEmpty()) {
            return false;
        }
        roster.remove(ContentRules.fold(session.nick()));
        return true;
    }

    /** How many members on any node. */
    int rosterSize() {
        return roster.size();
    }

    /** Every member on any node, in join order. */
    List<String> roster() {
        return new ArrayList<>(roster.values());
    }

    /** The log position of the last event delivered here (0: the bus has no positions). */
    long position() {
        return position;
    }

    /** Fills a room this node starts following from the bus's snapshot. */
    void load(RoomBus.Snapshot snapshot) {
        position = snapshot.position();
        olderInLog = logged && snapshot.history().size() >= historyLength;
        for (RoomEvent.Said line : snapshot.history()) {
            remember(ChatMessage.toRoom(line.id(), line.ts(), line.nick(), name, line.text()));
        }
        for (String nick : snapshot.members()) {
            roster.put(ContentRules.fold(nick), nick);
        }
    }

    /**
     * Whether {@code event} is new here: an event at or before the position of this node's
     * snapshot is already in it. Moves the position along.
     */
    boolean advance(RoomEvent event) {
        if (event.position() == 0) {
            return true;
        }
        if (event.position() <= position) {
            return false;
        }
        position = event.position();
        return true;
    }

    /** A chat line: remembered, and queued to every member ({@code origin}'s copy carries its ref). */
    void said(RoomEvent.Said line, Session origin) {
        ChatMessage message = ChatMessage.toRoom(line.id(), line.ts(), line.nick(), name, line.text())
                .asNotice(line.notice());
        remember(message);
        Outgoing shared = new Outgoing(message);
        for (Session member : members) {
            member.send(member == origin && line.ref() != null ? new Outgoing(message.withRef(line.ref())) : shared);
        }
    }

    /** A join: in the roster, announced to everyone but the joiner (who got its own {@code joined}). */
    void joined(RoomEvent.Joined join, Session origin) {
        roster.put(ContentRules.fold(join.nick()), join.nick());
        modes.joined(join.nick(), join.op());
        broadcast(new ServerMessage.Joined(name, join.nick(), join.ts(), null), origin);
    }

    /** A part: out of the roster, and announced unless {@code quietly} (a shutdown tells nobody). */
    void parted(RoomEvent.Parted part, boolean quietly) {
        roster.remove(ContentRules.fold(part.nick()));
        modes.left(part.nick());
        if (!quietly) {
            broadcast(new ServerMessage.Parted(name, part.nick(), part.reason(), part.message(), part.ts(), null), null);
        }
    }

    /** A new topic, announced to every member. */
    void topicSet(RoomEvent.TopicSet topic) {
        modes.topic(topic.text(), topic.nick(), topic.ts());
        broadcast(new ServerMessage.Topic(name, topic.text(), topic.nick(), topic.ts(), null), null);
    }

    /** A mode change, announced to every member. */
    void modesChanged(RoomEvent.ModesChanged change) {
        modes.apply(change.modes());
        broadcast(new ServerMessage.Mode(name, change.modes(), change.nick(), change.ts(), null), null);
    }

    /**
     * A kick, announced to every member and to {@code kickedHere} (the kicked client if it is on
     * this node, already removed from the members; may be null); out of the roster.
     */
    void kicked(RoomEvent.Kicked kick, Session kickedHere) {
        ServerMessage.Kicked kicked = new ServerMessage.Kicked(name, kick.nick(), kick.by(),
                kick.reason().isEmpty() ? null : kick.reason(), kick.ts(), null);
        broadcast(kicked, null);
        if (kickedHere != null) {
            kickedHere.send(kicked);
        }
        roster.remove(ContentRules.fold(kick.nick()));
        modes.left(kick.nick());
    }

    /** The topic, for a joiner or an asker ({@code ""} and no setter if none is set). */
    ServerMessage.Topic topic(String ref) {
        return new ServerMessage.Topic(name, modes.topic(), modes.topicBy(), modes.topicTs(), ref);
    }

    /** A nick change: renamed in the roster, announced once to each member sharing rooms with it. */
    void renamed(RoomEvent.Renamed rename, Session origin) {
        rename(ContentRules.fold(rename.oldNick()), ContentRules.fold(rename.newNick()), rename.newNick());
        modes.renamed(rename.oldNick(), rename.newNick());
        // A peer sharing several rooms with the renamed client hears of it once.
        String token = rename.node() + '/' + rename.ts() + '/' + rename.oldNick() + '/' + rename.newNick();
        Outgoing notice = new Outgoing(new ServerMessage.Nick(rename.oldNick(), rename.newNick(), rename.ts(), null));
        for (Session member : members) {
            if (member != origin && member.firstNotice(token)) {
                member.send(notice);
            }
        }
    }

    /**
     * Queues the replayed messages, then the {@code history} trailer, as one burst: at most
     * {@code limit} messages and {@code maxBytes} bytes of them on the session's wire, the newest
     * that fit, so that what one request makes the server queue stays bounded however long the
     * texts. The trailer says {@code more} when older messages are left (here or in the log).
     */
    void replay(Session session, int limit, int maxBytes, String ref) {
        dropForgotten();
        List<ChatMessage> recent = recent(limit);
        boolean more = recent.size() < history.size() || logged && olderInLog;
        sendPage(session, recent, more, false, maxBytes, ref);
    }

    /**
     * Queues a page of history (oldest first) and its trailer as one burst, at most
     * {@code maxBytes} of messages: the oldest that fit when {@code keepOldest} (catching up),
     * else the newest (paging back). A page cut short by the bytes says {@code more}.
     */
    void sendPage(Session session, List<ChatMessage> page, boolean more, boolean keepOldest, int maxBytes,
                  String ref) {
        ArrayDeque<Outgoing> burst = new ArrayDeque<>(page.size() + 1);
        long bytes = 0;
        for (int n = 0; n < page.size(); n++) {
            int i = keepOldest ? n : page.size() - 1 - n;
            Outgoing replay = new Outgoing(page.get(i).asReplay(ref));
            bytes += session.sizeOnWire(replay);
            if (bytes > maxBytes) {
                more = true;
                break;
            }
            if (keepOldest) {
                burst.addLast(replay);
            } else {
                burst.addFirst(replay);
            }
        }
        int count = burst.size();
        burst.addLast(new Outgoing(new ServerMessage.History(name, count, more, ref)));
        session.sendBurst(List.copyOf(burst));
    }

    /**
     * A page of the messages remembered here (a bus without a log has nothing else): the newest
     * {@code limit} below {@code before}, or the oldest {@code limit} above {@code after}.
     */
    void sendCachedPage(Session session, Long before, Long after, int limit, int maxBytes, String ref) {
        dropForgotten();
        List<ChatMessage> matching = new ArrayList<>();
        for (HistoryBudget.Entry entry : history) {
            ChatMessage message = entry.message();
            if (message != null && (after != null ? message.id() > after : message.id() < before)) {
                matching.add(message);
            }
        }
        boolean more = matching.size() > limit;
        List<ChatMessage> page = after != null ? matching.subList(0, Math.min(limit, matching.size()))
                : matching.subList(Math.max(0, matching.size() - limit), matching.size());
        sendPage(session, page, more, after != null, maxBytes, ref);
    }

    private void broadcast(ServerMessage message, Session except) {
        Outgoing shared = new Outgoing(message);
        for (Session member : members) {
            if (member != except) {
                member.send(shared);
            }
        }
    }

    /** Renames a roster entry in place (its join order stays). */
    private void rename(String oldKey, String newKey, String newNick) {
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

    private void remember(ChatMessage message) {
        if (historyLength == 0) {
            return;
        }
        dropForgotten();
        HistoryBudget.Entry trimmed = history.size() == historyLength ? history.removeFirst() : null;
        if (trimmed != null) {
            olderInLog = true;
        }
        history.addLast(budget.remember(message, trimmed));
    }

    /** The last {@code limit} messages still remembered, oldest first. */
    private List<ChatMessage> recent(int limit) {
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
            olderInLog = true;
        }
    }
}
