package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-connection outbound queue: bounds, batches, close and abort. */
@Timeout(30)
class OutboxTest {

    private static Frame frame(String ref) {
        return Frame.of(new ServerMessage.Pong(ref));
    }

    @Test
    void anOfferBeyondTheFrameBoundOverflows() {
        Outbox outbox = new Outbox(2, 1 << 20);

        assertEquals(Outbox.Offer.QUEUED, outbox.offer(frame("1")));
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(frame("2")));
        assertEquals(Outbox.Offer.OVERFLOW, outbox.offer(frame("3")));
    }

    @Test
    void anOfferBeyondTheByteBoundOverflows() {
        Frame f = frame("x".repeat(500));
        Outbox outbox = new Outbox(1000, 2L * f.length());

        assertEquals(Outbox.Offer.QUEUED, outbox.offer(f));
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(f));
        assertEquals(Outbox.Offer.OVERFLOW, outbox.offer(frame("1")));
    }

    @Test
    void takingABatchFreesTheRoom() throws Exception {
        Outbox outbox = new Outbox(2, 1 << 20);
        outbox.offer(frame("1"));
        outbox.offer(frame("2"));

        ArrayDeque<Frame> batch = outbox.takeBatch(new ArrayDeque<>());

        assertEquals(List.of(frame("1"), frame("2")), List.copyOf(batch));
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(frame("3")));
    }

    @Test
    void aWaitingWriterWakesForTheFirstFrame() throws Exception {
        Outbox outbox = new Outbox(10, 1 << 20);
        FutureTask<ArrayDeque<Frame>> writer = new FutureTask<>(() -> outbox.takeBatch(new ArrayDeque<>()));
        Thread.ofVirtual().start(writer);

        outbox.offer(frame("wake"));

        assertEquals(List.of(frame("wake")), List.copyOf(writer.get(20, TimeUnit.SECONDS)));
    }

    @Test
    void afterCloseOffersAreIgnoredAndTheWriterDrainsThenGetsAnEmptyBatch() throws Exception {
        Outbox outbox = new Outbox(10, 1 << 20);
        outbox.offer(frame("last"));

        outbox.close();

        assertEquals(Outbox.Offer.CLOSED, outbox.offer(frame("late")));
        assertEquals(List.of(frame("last")), List.copyOf(outbox.takeBatch(new ArrayDeque<>())));
        assertTrue(outbox.takeBatch(new ArrayDeque<>()).isEmpty());
    }

    @Test
    void abortReplacesWhatIsQueuedByOneLastFrameEvenWhenFull() throws Exception {
        Outbox outbox = new Outbox(1, 1024);
        outbox.offer(frame("queued"));

        outbox.abortWith(frame("error"));

        assertEquals(List.of(frame("error")), List.copyOf(outbox.takeBatch(new ArrayDeque<>())));
        assertTrue(outbox.takeBatch(new ArrayDeque<>()).isEmpty());
        assertTrue(outbox.isClosed());
    }

    @Test
    void aBurstMayExceedTheBoundsOnceAndLiveFramesStillHaveTheirRoom() throws Exception {
        Outbox outbox = new Outbox(2, 1 << 20);
        List<Frame> replay = List.of(frame("1"), frame("2"), frame("3"), frame("4"));

        assertEquals(Outbox.Offer.QUEUED, outbox.offerBurst(replay));
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(frame("live1")));
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(frame("live2")));
        assertEquals(Outbox.Offer.OVERFLOW, outbox.offer(frame("live3")));
    }

    @Test
    void aSecondBurstWhileTheFirstIsQueuedCountsInFull() throws Exception {
        Outbox outbox = new Outbox(3, 1 << 20);
        List<Frame> replay = List.of(frame("1"), frame("2"), frame("3"), frame("4"));
        outbox.offerBurst(replay);

        assertEquals(Outbox.Offer.OVERFLOW, outbox.offerBurst(replay), "a client asking again without reading");

        outbox.takeBatch(new ArrayDeque<>());
        assertEquals(Outbox.Offer.QUEUED, outbox.offerBurst(replay), "free again once the writer took it");
        assertEquals(List.of(frame("1"), frame("2"), frame("3"), frame("4")),
                List.copyOf(outbox.takeBatch(new ArrayDeque<>())));
    }
}
