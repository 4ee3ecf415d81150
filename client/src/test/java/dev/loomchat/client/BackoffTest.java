package dev.loomchat.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void doublesFromHalfASecondUpToTenSeconds() {
        List<Long> millis = IntStream.range(0, 8).mapToObj(i -> Backoff.DEFAULT.base(i).toMillis()).toList();
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 10000L, 10000L, 10000L), millis);
        assertEquals(Duration.ofSeconds(10), Backoff.DEFAULT.base(1_000_000));
    }

    @Test
    void jitterSpreadsTwentyPercentEachWayButNeverPastTheMax() {
        assertEquals(400, Backoff.DEFAULT.delay(0, fixed(0.0)).toMillis());
        assertEquals(500, Backoff.DEFAULT.delay(0, fixed(0.5)).toMillis());
        assertEquals(599, Backoff.DEFAULT.delay(0, fixed(0.999)).toMillis(), 1);
        assertEquals(8000, Backoff.DEFAULT.delay(5, fixed(0.0)).toMillis());
        assertEquals(10000, Backoff.DEFAULT.delay(5, fixed(0.999)).toMillis());
        var random = RandomGenerator.of("L64X128MixRandom");
        for (int attempt = 0; attempt < 20; attempt++) {
            long ms = Backoff.DEFAULT.delay(attempt, random).toMillis();
            assertTrue(ms >= 400 && ms <= 10_000, attempt + ": " + ms);
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5));
    }
}
