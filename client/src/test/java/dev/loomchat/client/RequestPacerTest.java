package dev.loomchat.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestPacerTest {

    private static final long MS = 1_000_000;

    @Test
    void aFullBurstGoesAtOnceThenTheRateApplies() {
        var now = new AtomicLong(1_000 * MS);
        var pacer = new RequestPacer(10, 3, now::get); // 100 ms per token, 3 at once
        assertEquals(0, pacer.reserve());
        assertEquals(0, pacer.reserve());
        assertEquals(0, pacer.reserve());
        assertEquals(100 * MS, pacer.reserve());
        assertEquals(200 * MS, pacer.reserve());
        now.addAndGet(1_000 * MS); // a quiet second refills the bucket
        assertEquals(0, pacer.reserve());
        assertEquals(0, pacer.reserve());
        assertEquals(0, pacer.reserve());
        assertEquals(100 * MS, pacer.reserve());
    }

    @Test
    void rateZeroMeansUnlimited() {
        var pacer = new RequestPacer(0, 0, () -> 0);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, pacer.reserve());
        }
    }
}
