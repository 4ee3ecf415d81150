package dev.loomchat.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loomchat.server.chat.FloodControl.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token bucket and the excess-flood rule, on a clock the test controls. */
class FloodControlTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void underTheDelayPolicyExcessWaitsForItsTokenAndHalfAWindowOfWaitingIsFlooding() {
        FloodControl flood = new FloodControl(10, 2, 0);
        assertEquals(0, flood.lagNanos(0));
        assertEquals(0, flood.lagNanos(0));
        assertEquals(SECOND / 10, flood.lagNanos(0), "over the burst: wait for the next token");

        long now = SECOND / 10; // the reader waited, so the debt is paid when the next line is read
        int delayed = 1;
        long lag;
        while ((lag = flood.lagNanos(now)) > 0) {
            now += lag;
            delayed++;
        }
        assertEquals(-1, lag);
        assertEquals(50, delayed, "50 lines kept waiting 100 ms each (5 s): the next one over the budget is flooding");
    }

    @Test
    void aPasteWithinTheBurstAndAPauseNeverCountAsFlooding() {
        FloodControl flood = new FloodControl(10, 20, 0);
        for (int round = 0; round < 100; round++) {
            long start = round * 10 * SECOND; // a paste of 30 lines every 10 s: 10 delayed each time
            long now = start;
            for (int line = 0; line < 30; line++) {
                long lag = flood.lagNanos(now);
                assertEquals(true, lag >= 0, "round " + round + " line " + line);
                now += lag;
            }
        }
    }

    @Test
    void aFullBucketAllowsABurstThenRefuses() {
        FloodControl flood = new FloodControl(5, 3, 0);

        assertEquals(List.of(Verdict.ALLOW, Verdict.ALLOW, Verdict.ALLOW, Verdict.REFUSE), takeAll(flood, 0, 4));
    }

    @Test
    void theBucketRefillsAtTheRateUpToTheBurst() {
        FloodControl flood = new FloodControl(5, 3, 0);
        takeAll(flood, 0, 3);

        assertEquals(Verdict.ALLOW, flood.take(SECOND / 5));       // one token after 200 ms
        assertEquals(Verdict.REFUSE, flood.take(SECOND / 5));
        assertEquals(List.of(Verdict.ALLOW, Verdict.ALLOW, Verdict.ALLOW, Verdict.REFUSE),
                takeAll(flood, 100 * SECOND, 4), "never more than the burst, however long the pause");
    }

    @Test
    void moreThanTwiceTheBurstOfRefusalsWithinTenSecondsDisconnects() {
        FloodControl flood = new FloodControl(1, 3, 0);
        takeAll(flood, 0, 3);

        List<Verdict> verdicts = takeAll(flood, 0, 7);

        assertEquals(List.of(Verdict.REFUSE, Verdict.REFUSE, Verdict.REFUSE, Verdict.REFUSE, Verdict.REFUSE,
                Verdict.REFUSE, Verdict.DISCONNECT), verdicts);
    }

    @Test
    void refusalsSpreadOverMoreThanTheWindowDoNotDisconnect() {
        FloodControl flood = new FloodControl(1, 3, 0);
        takeAll(flood, 0, 3);
        takeAll(flood, 0, 6);   // 6 refusals: at the limit

        // 11 s later the window starts over (and the bucket is full again).
        takeAll(flood, 11 * SECOND, 3);
        assertEquals(List.of(Verdict.REFUSE, Verdict.REFUSE, Verdict.REFUSE, Verdict.REFUSE, Verdict.REFUSE,
                Verdict.REFUSE), takeAll(flood, 11 * SECOND, 6));
    }

    @Test
    void rateZeroIsUnlimited() {
        FloodControl flood = new FloodControl(0, 1, 0);

        assertEquals(List.of(), takeAll(flood, 0, 100_000).stream().filter(v -> v != Verdict.ALLOW).toList());
    }

    private static List<Verdict> takeAll(FloodControl flood, long now, int count) {
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            verdicts.add(flood.take(now));
        }
        return verdicts;
    }
}
