package dev.loomchat.server.chat;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per source address: at most so many connections open at once, and new connections at most so
 * fast (a token bucket), whatever door they come in by. What Ergo calls connection limits and
 * throttling: one machine cannot take all of the server's connections, nor reconnect in a loop.
 *
 * <p>The source is the address's host part ({@code "/127.0.0.1:5000"} and {@code "[::1]:5000"}
 * give {@code 127.0.0.1} and {@code ::1}); an address without a port (a Unix socket) is local and
 * not limited, and neither is loopback when configured so (tests, benchmarks).
 *
 * <p>Memory: one small entry per source that has a connection open or connected recently; the
 * keepalive sweep ({@link #sweep}) drops an entry once it has no connection and its bucket is
 * full again, so entries are bounded by the connections open plus the connect rate times the
 * bucket's refill time.
 *
 * <p>Threading: all methods from any thread (each entry changes inside one atomic map update).
 */
final class AddressLimits {

    private final int maxOpen;
    private final double tokensPerNano;
    private final double burst;
    private final boolean exemptLoopback;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** A source's open connections and connect budget; mutated only inside the map's compute. */
    private static final class Entry {
        int open;
        double tokens;
        long refilled;
    }

    /**
     * @param maxOpen        connections one source may have open; 0 = no limit
     * @param perSecond      new connections per second one source may make, sustained; 0 = no limit
     * @param burst          new connections one source may make at once
     * @param exemptLoopback whether loopback sources are not limited
     */
    AddressLimits(int maxOpen, int perSecond, int burst, boolean exemptLoopback) {
        this.maxOpen = maxOpen;
        this.tokensPerNano = perSecond / 1e9;
        this.burst = perSecond == 0 ? 0 : Math.max(1, burst);
        this.exemptLoopback = exemptLoopback;
    }

    /**
     * Admits a new connection from {@code address}, counting it, or says why not (the
     * connection is then not counted).
     *
     * @return {@code null} if admitted, else the reason for the client
     */
    String admit(String address, long nowNanos) {
        String source = limitedSource(address);
        if (source == null) {
            return null;
        }
        String[] refused = new String[1];
        entries.compute(source, (key, entry) -> {
            Entry e = entry != null ? entry : fresh(nowNanos);
            refill(e, nowNanos);
            if (maxOpen > 0 && e.open >= maxOpen) {
                refused[0] = "too many connections from your address (at most " + maxOpen + " at once)";
            } else if (burst > 0 && e.tokens < 1) {
                refused[0] = "too many new connections from your address: wait a moment";
            } else {
                e.open++;
                if (burst > 0) {
                    e.tokens--;
                }
            }
            return e;
        });
        return refused[0];
    }

    /** A connection {@link #admit admitted} from {@code address} has closed. */
    void release(String address) {
        String source = limitedSource(address);
        if (source != null) {
            entries.computeIfPresent(source, (key, e) -> {
                e.open = Math.max(0, e.open - 1);
                return e;
            });
        }
    }

    /** Drops the entries of sources with nothing open and a full bucket again. */
    void sweep(long nowNanos) {
        for (String source : entries.keySet()) {
            entries.computeIfPresent(source, (key, e) -> e.open == 0
                    && (burst == 0 || e.tokens + (nowNanos - e.refilled) * tokensPerNano >= burst) ? null : e);
        }
    }

    /** Sources tracked now (for tests and stats). */
    int tracked() {
        return entries.size();
    }

    private Entry fresh(long nowNanos) {
        Entry e = new Entry();
        e.tokens = burst;
        e.refilled = nowNanos;
        return e;
    }

    private void refill(Entry e, long nowNanos) {
        if (burst > 0) {
            e.tokens = Math.min(burst, e.tokens + (nowNanos - e.refilled) * tokensPerNano);
        }
        e.refilled = nowNanos;
    }

    /** The source to limit, or {@code null} when {@code address} is not limited. */
    private String limitedSource(String address) {
        if (maxOpen == 0 && burst == 0) {
            return null;
        }
        String source = sourceOf(address);
        if (source == null || (exemptLoopback && isLoopback(source))) {
            return null;
        }
        return source;
    }

    /**
     * The host part of a door's address ({@code InetSocketAddress.toString()} form, or
     * {@code host:port}), or {@code null} when it has no port (a Unix socket: local).
     */
    static String sourceOf(String address) {
        if (address == null) {
            return null;
        }
        String a = address.substring(address.indexOf('/') + 1); // "name/1.2.3.4:5" -> "1.2.3.4:5"
        int colon = a.lastIndexOf(':');
        if (colon <= 0 || colon == a.length() - 1 || !a.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return null;
        }
        String host = a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? null : host;
    }

    static boolean isLoopback(String source) {
        return source.startsWith("127.") || source.equals("::1") || source.equals("0:0:0:0:0:0:0:1")
                || source.startsWith("::ffff:127.");
    }
}
