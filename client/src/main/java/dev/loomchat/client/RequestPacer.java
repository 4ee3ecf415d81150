package dev.loomchat.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Client-side flood control: the same token bucket the server applies (PROTOCOL.md section 8,
 * {@code msgBurst} tokens refilled at {@code msgRate} per second, from {@code welcome.limits}),
 * so that a script piping many lines waits a little instead of having requests dropped with
 * {@code rate_limited}. A rate of 0 or less means no limit. Thread-safe.
 */
final class RequestPacer {

    private final long nanosPerToken;
    private final long toleranceNanos;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    /** The "theoretical arrival time" of the next request (GCRA); guarded by {@code lock}. */
    private long nextAt;

    /** A pacer with a full bucket. */
    RequestPacer(int ratePerSecond, int burst, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.nanosPerToken = ratePerSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.toleranceNanos = nanosPerToken * (Math.max(1, burst) - 1);
        this.nextAt = nanoClock.getAsLong();
    }

    /** No pacing at all. */
    static RequestPacer unlimited() {
        return new RequestPacer(0, 0, System::nanoTime);
    }

    /** Takes a token and returns how long to wait before sending, in nanoseconds (0 = now). */
    long reserve() {
        if (nanosPerToken == 0) {
            return 0;
        }
        lock.lock();
        try {
            // The generic cell rate algorithm: a token bucket kept as one timestamp.
            long now = nanoClock.getAsLong();
            long at = Math.max(nextAt, now);
            nextAt = at + nanosPerToken;
            return Math.max(0, at - now - toleranceNanos);
        } finally {
            lock.unlock();
        }
    }

    /** Takes a token, sleeping until it is available. */
    void acquire() throws InterruptedException {
        long wait = reserve();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
