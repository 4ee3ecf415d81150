package dev.loomchat.server.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, as logged periodically and returned by a {@code stats} request.
 * The core keeps most of them; a door adds the bytes it reads and writes. Thread-safe; cheap to
 * update from every connection (LongAdder).
 */
public final class ServerCounters {

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger welcomed = new AtomicInteger();
    final LongAdder accepted = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    /** Connections waiting for input without a reader thread now; a door counts its own. */
    public final AtomicInteger parked = new AtomicInteger();
    /** Bytes read from clients; a door adds to it. */
    public final LongAdder bytesIn = new LongAdder();
    /** Bytes written to clients; a door adds to it. */
    public final LongAdder bytesOut = new LongAdder();
    final LongAdder slowConsumers = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder floodDisconnects = new LongAdder();
    final LongAdder idleTimeouts = new LongAdder();
    final LongAdder refusedFull = new LongAdder();
    final LongAdder refusedAddress = new LongAdder();
    /** Sessions a server operator killed. */
    final LongAdder killed = new LongAdder();
    /** Connections and logins a server ban refused or ended. */
    final LongAdder banned = new LongAdder();
    /** Open connections per door ({@code lines}, {@code web}, ...): each door counts its own. */
    private final Map<String, AtomicInteger> connectionsByDoor = new ConcurrentHashMap<>();
    private final long startNanos = System.nanoTime();

    /** Open connections now. */
    public int connections() {
        return connections.get();
    }

    /**
     * The count of open sessions of one door (its name as the metrics label it, e.g.
     * {@code lines}, {@code web}, {@code irc}): the door increments it when the core opens a
     * session and decrements it when it closes one.
     */
    public AtomicInteger connections(String door) {
        return connectionsByDoor.computeIfAbsent(door, d -> new AtomicInteger());
    }

    /** The doors that have counted connections, with their counts now. */
    public Map<String, Integer> connectionsByDoor() {
        Map<String, Integer> now = new LinkedHashMap<>();
        connectionsByDoor.forEach((door, count) -> now.put(door, count.get()));
        return now;
    }

    /** A snapshot, names as documented in PROTOCOL.md's {@code stats}. */
    Map<String, Long> snapshot(int rooms, long historyBytes) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("connections", (long) connections.get());
        counters.put("welcomed", (long) welcomed.get());
        counters.put("parked", (long) parked.get());
        counters.put("rooms", (long) rooms);
        counters.put("historyBytes", historyBytes);
        counters.put("accepted", accepted.sum());
        counters.put("messagesIn", messagesIn.sum());
        counters.put("framesIn", framesIn.sum());
        counters.put("framesOut", framesOut.sum());
        counters.put("bytesIn", bytesIn.sum());
        counters.put("bytesOut", bytesOut.sum());
        counters.put("slowConsumers", slowConsumers.sum());
        counters.put("rateLimited", rateLimited.sum());
        counters.put("floodDisconnects", floodDisconnects.sum());
        counters.put("idleTimeouts", idleTimeouts.sum());
        counters.put("serverFull", refusedFull.sum());
        counters.put("addressLimited", refusedAddress.sum());
        counters.put("killed", killed.sum());
        counters.put("banned", banned.sum());
        counters.put("uptimeSeconds", (System.nanoTime() - startNanos) / 1_000_000_000L);
        return counters;
    }
}
