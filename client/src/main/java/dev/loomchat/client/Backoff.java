package dev.loomchat.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The reconnect schedule: exponential backoff with jitter. Attempt {@code n} (0-based) waits
 * {@code min(max, initial * 2^n)} scaled by a random factor in {@code [1 - jitter, 1 + jitter)},
 * and never more than {@code max}. With the {@link #DEFAULT}: about 0.5 s, 1 s, 2 s, 4 s, 8 s,
 * then 10 s for every later attempt, each +-20 %. The jitter keeps many clients of a restarted
 * server from reconnecting in lock step.
 *
 * @param initial the first delay, positive
 * @param max     the largest delay, at least {@code initial}
 * @param jitter  the random spread, 0 (none) to 1
 */
record Backoff(Duration initial, Duration max, double jitter) {

    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), 0.2);

    Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1]: " + jitter);
        }
    }

    /** The delay before attempt {@code attempt} without jitter. */
    Duration base(int attempt) {
        long maxNanos = max.toNanos();
        long nanos = initial.toNanos();
        for (int i = 0; i < attempt && nanos < maxNanos; i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxNanos));
    }

    /** The delay before attempt {@code attempt}, with jitter drawn from {@code random}. */
    Duration delay(int attempt, RandomGenerator random) {
        double factor = 1 - jitter + 2 * jitter * random.nextDouble();
        long nanos = (long) (base(attempt).toNanos() * factor);
        return Duration.ofNanos(Math.min(nanos, max.toNanos()));
    }
}
