package dev.loomchat.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The client's own keepalive, so that it notices a server that went silent (a dead network
 * path, a hung server) even when it has nothing to send: when nothing has arrived for
 * {@code idle}, it sends a {@code ping}; when still nothing has arrived {@code timeout} after
 * that ping, the connection counts as lost (and the client reconnects). Any frame counts as an
 * answer, not only the {@code pong}. In a busy room frames keep arriving, so no pings are sent.
 *
 * <p>The defaults (30 s + 15 s) notice a dead path within 45 s, before the server's own
 * keepalive (60 s + 30 s by default) would drop the connection, and cost one small frame per
 * 30 s of silence.
 *
 * @param idle    silence before a ping; zero turns the keepalive off
 * @param timeout how long the ping may go unanswered, positive
 */
record Keepalive(Duration idle, Duration timeout) {

    static final Keepalive DEFAULT = new Keepalive(Duration.ofSeconds(30), Duration.ofSeconds(15));
    static final Keepalive OFF = new Keepalive(Duration.ZERO, Duration.ofSeconds(15));

    Keepalive {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(timeout, "timeout");
        if (idle.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("need idle >= 0 and timeout > 0: " + idle + ", " + timeout);
        }
    }

    boolean enabled() {
        return !idle.isZero();
    }

    /** What the keepalive needs of a connection. */
    interface Line {
        /** {@link System#nanoTime()} when the last line arrived (or the connection was made). */
        long lastReceivedNanos();

        /**
         * Sends a ping without waiting for the write (a stuck write must not stop the watch), and
         * {@link LockSupport#unpark unparks} the calling thread when the next line arrives.
         */
        void ping();

        /** Ends the connection as lost, for {@code reason}. */
        void lose(String reason);
    }

    /**
     * Watches {@code line} until it is lost or this thread is interrupted (the connection closed).
     * Runs on the connection's own keepalive thread.
     */
    void watch(Line line) {
        if (!enabled()) {
            return;
        }
        try {
            while (true) {
                long quiet = System.nanoTime() - line.lastReceivedNanos();
                if (quiet < idle.toNanos()) {
                    Thread.sleep(Duration.ofNanos(idle.toNanos() - quiet));
                    continue;
                }
                long pingedAt = System.nanoTime();
                line.ping();
                while (line.lastReceivedNanos() - pingedAt < 0) {
                    long left = pingedAt + timeout.toNanos() - System.nanoTime();
                    if (left <= 0) {
                        line.lose("no answer to a ping within " + Durations.format(timeout));
                        return;
                    }
                    LockSupport.parkNanos(left);
                    if (Thread.interrupted()) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            // the connection closed
        }
    }
}
