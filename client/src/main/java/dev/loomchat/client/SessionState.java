package dev.loomchat.client;

import dev.loomchat.protocol.ContentRules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the client knows about its session: its nick, the rooms it is in (in join order, with
 * the server's spelling), the current room, and the nicks and rooms it has seen (for
 * completion). It outlives connections: after a reconnect the same rooms are joined again.
 * Names compare case-insensitively, as on the server. Thread-safe (the reader thread updates
 * it from frames, the input thread reads it).
 */
final class SessionState {

    private final ReentrantLock lock = new ReentrantLock();
    private String nick;
    /** Folded name to spelling, in join order. */
    private final LinkedHashMap<String, String> rooms = new LinkedHashMap<>();
    private String current;
    private final Map<String, String> knownNicks = new TreeMap<>();
    private final Map<String, String> knownRooms = new TreeMap<>();

    SessionState(String nick) {
        this.nick = nick;
    }

    String nick() {
        lock.lock();
        try {
            return nick;
        } finally {
            lock.unlock();
        }
    }

    void nick(String newNick) {
        lock.lock();
        try {
            nick = newNick;
        } finally {
            lock.unlock();
        }
    }

    /** True if {@code name} is this client's nick (case-insensitively). */
    boolean isMe(String name) {
        lock.lock();
        try {
            return nick != null && ContentRules.fold(nick).equals(ContentRules.fold(name));
        } finally {
            lock.unlock();
        }
    }

    /** The joined rooms, in join order. */
    List<String> rooms() {
        lock.lock();
        try {
            return List.copyOf(rooms.values());
        } finally {
            lock.unlock();
        }
    }

    /** The joined room named {@code room} in the server's spelling, or null if not joined. */
    String joined(String room) {
        lock.lock();
        try {
            return rooms.get(ContentRules.fold(room));
        } finally {
            lock.unlock();
        }
    }

    void addRoom(String room) {
        lock.lock();
        try {
            rooms.putIfAbsent(ContentRules.fold(room), room);
            knownRooms.put(ContentRules.fold(room), room);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets a joined room; if it was the current one, the most recently joined remaining room
     * (or none) becomes current.
     *
     * @return true if the current room changed
     */
    boolean removeRoom(String room) {
        lock.lock();
        try {
            String folded = ContentRules.fold(room);
            rooms.remove(folded);
            if (current != null && ContentRules.fold(current).equals(folded)) {
                current = rooms.isEmpty() ? null : new ArrayList<>(rooms.values()).getLast();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The current room (where plain text goes), or null. */
    String current() {
        lock.lock();
        try {
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** Makes a joined room current; false if not joined. */
    boolean switchTo(String room) {
        lock.lock();
        try {
            String spelled = rooms.get(ContentRules.fold(room));
            if (spelled == null) {
                return false;
            }
            current = spelled;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void sawNick(String name) {
        lock.lock();
        try {
            knownNicks.put(ContentRules.fold(name), name);
        } finally {
            lock.unlock();
        }
    }

    void sawNicks(Collection<String> names) {
        names.forEach(this::sawNick);
    }

    void renamedNick(String old, String name) {
        lock.lock();
        try {
            knownNicks.remove(ContentRules.fold(old));
            knownNicks.put(ContentRules.fold(name), name);
        } finally {
            lock.unlock();
        }
    }

    void sawRoom(String room) {
        lock.lock();
        try {
            knownRooms.put(ContentRules.fold(room), room);
        } finally {
            lock.unlock();
        }
    }

    /** Nicks seen in this session, sorted; for completion. */
    List<String> knownNicks() {
        lock.lock();
        try {
            return List.copyOf(knownNicks.values());
        } finally {
            lock.unlock();
        }
    }

    /** Rooms joined or seen in a {@code rooms} list, sorted; for completion. */
    List<String> knownRooms() {
        lock.lock();
        try {
            return List.copyOf(knownRooms.values());
        } finally {
            lock.unlock();
        }
    }
}
