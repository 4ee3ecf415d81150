package dev.loomchat.server.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-connection outbound queue: bounds, batches, the on-demand writer, close and abort. */
@Timeout(60)
class OutboxTest {

    /** JSON lines, as the lines door queues them. */
    static final WireFormat<Frame> FRAMES = new WireFormat<>() {
        @Override
        public Frame encode(ServerMessage message) {
            return Frame.of(message);
        }

        @Override
        public int size(Frame frame) {
            return frame.length();
        }
    };

    private static Frame frame(String ref) {
        return Frame.of(new ServerMessage.Pong(ref));
    }

    /** An outbox whose writer starts are only counted (the test plays the writer). */
    private static Outbox<Frame> attached(int maxFrames, long maxBytes, AtomicInteger starts) {
        Outbox<Frame> outbox = new Outbox<>(FRAMES, maxFrames, maxBytes);
        outbox.attachWriter(starts::incrementAndGet);
        return outbox;
    }

    @Test
    void anOfferBeyondTheFrameBoundOverflows() {
        Outbox<Frame> outbox = new Outbox<>(FRAMES, 2, 1 << 20);

        assertEquals(Outbox.Offer.QUEUED, outbox.offer(frame("1")));
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(frame("2")));
        assertEquals(Outbox.Offer.OVERFLOW, outbox.offer(frame("3")));
    }

    @Test
    void anOfferBeyondTheByteBoundOverflows() {
        Frame f = frame("x".repeat(500));
        Outbox<Frame> outbox = new Outbox<>(FRAMES, 1000, 2L * f.length());

        assertEquals(Outbox.Offer.QUEUED, outbox.offer(f));
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(f));
        assertEquals(Outbox.Offer.OVERFLOW, outbox.offer(frame("1")));
    }

    @Test
    void takingABatchFreesTheRoom() {
        Outbox<Frame> outbox = attached(2, 1 << 20, new AtomicInteger());
        outbox.offer(frame("1"));
        outbox.offer(frame("2"));

        ArrayDeque<Frame> batch = outbox.nextBatch(null);

        assertEquals(List.of(frame("1"), frame("2")), List.copyOf(batch));
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(frame("3")));
    }

    @Test
    void anIdleOutboxHasNoWriterAndTheFirstFrameStartsExactlyOne() {
        AtomicInteger starts = new AtomicInteger();
        Outbox<Frame> outbox = attached(10, 1 << 20, starts);
        assertEquals(0, starts.get(), "idle: no writer");

        outbox.offer(frame("1"));
        outbox.offer(frame("2"));
        assertEquals(1, starts.get(), "one writer for frames offered while it is active");

        ArrayDeque<Frame> batch = outbox.nextBatch(null);
        assertEquals(List.of(frame("1"), frame("2")), List.copyOf(batch));
        assertNull(outbox.nextBatch(batch), "empty: the writer retires");

        outbox.offer(frame("3"));
        assertEquals(2, starts.get(), "a frame after the writer retired starts a new one");
        assertEquals(List.of(frame("3")), List.copyOf(outbox.nextBatch(null)));
    }

    @Test
    void framesOfferedBeforeTheWriterIsAttachedWaitAndAreWrittenFirst() {
        Outbox<Frame> outbox = new Outbox<>(FRAMES, 10, 1 << 20);
        outbox.offer(frame("early"));
        AtomicInteger starts = new AtomicInteger();

        outbox.attachWriter(starts::incrementAndGet);

        assertEquals(1, starts.get());
        assertEquals(List.of(frame("early")), List.copyOf(outbox.nextBatch(null)));
    }

    @Test
    void afterCloseOffersAreIgnoredAndTheWriterDrainsThenGetsAnEmptyBatch() {
        AtomicInteger starts = new AtomicInteger();
        Outbox<Frame> outbox = attached(10, 1 << 20, starts);
        outbox.offer(frame("last"));

        outbox.close();

        assertEquals(Outbox.Offer.CLOSED, outbox.offer(frame("late")));
        assertEquals(1, starts.get());
        ArrayDeque<Frame> batch = outbox.nextBatch(null);
        assertEquals(List.of(frame("last")), List.copyOf(batch));
        assertTrue(outbox.nextBatch(batch).isEmpty(), "closed and drained: terminate");
    }

    @Test
    void closingAnIdleOutboxStartsAWriterToCloseTheConnection() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        Outbox<Frame> outbox = attached(10, 1 << 20, starts);

        outbox.close();

        assertEquals(1, starts.get());
        assertTrue(outbox.nextBatch(null).isEmpty());
        assertFalse(outbox.awaitTerminated(Duration.ZERO), "not terminated until the writer says so");
        outbox.writerTerminated();
        assertTrue(outbox.awaitTerminated(Duration.ZERO));
        outbox.close();
        assertEquals(1, starts.get(), "a terminated outbox starts nothing");
    }

    @Test
    void abortReplacesWhatIsQueuedByOneLastFrameEvenWhenFull() {
        Outbox<Frame> outbox = attached(1, 1024, new AtomicInteger());
        outbox.offer(frame("queued"));

        outbox.abortWith(frame("error"));

        ArrayDeque<Frame> batch = outbox.nextBatch(null);
        assertEquals(List.of(frame("error")), List.copyOf(batch));
        assertTrue(outbox.nextBatch(batch).isEmpty());
        assertTrue(outbox.isClosed());
    }

    @Test
    void aBurstCountsInFullAndIsQueuedWholeOrNotAtAll() {
        Outbox<Frame> outbox = attached(5, 1 << 20, new AtomicInteger());
        List<Frame> replay = List.of(frame("1"), frame("2"), frame("3"), frame("4"));

        assertEquals(Outbox.Offer.QUEUED, outbox.offerFrames(replay));
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(frame("live1")));
        assertEquals(Outbox.Offer.OVERFLOW, outbox.offer(frame("live2")), "the replay took four of the five frames");
        assertEquals(Outbox.Offer.OVERFLOW, outbox.offerFrames(replay), "a client asking again without reading");

        ArrayDeque<Frame> batch = outbox.nextBatch(null);
        assertEquals(Outbox.Offer.QUEUED, outbox.offerFrames(replay), "room again once the writer took the batch");
        assertEquals(List.of(frame("1"), frame("2"), frame("3"), frame("4")), List.copyOf(outbox.nextBatch(batch)));
    }

    @Test
    void aBurstOverTheByteBoundIsRefusedWhole() {
        Outbox<Frame> outbox = attached(100, 1024, new AtomicInteger());
        List<Frame> replay = List.of(frame("x".repeat(600)), frame("y".repeat(600)));

        assertEquals(Outbox.Offer.OVERFLOW, outbox.offerFrames(replay));
        assertEquals(0, outbox.queuedBytes());
    }

    @Test
    void awaitQueuedAtMostReturnsOnceAWriterTookTheBatchOrTheOutboxCloses() throws Exception {
        Outbox<Frame> outbox = attached(100, 1 << 20, new AtomicInteger());
        outbox.offer(frame("x".repeat(1000)));
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                outbox.awaitQueuedAtMost(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);

        outbox.nextBatch(null);

        waiter.join(Duration.ofSeconds(10));
        assertFalse(waiter.isAlive(), "woken when the queue drained");
        outbox.offer(frame("y".repeat(1000)));
        Thread second = Thread.ofVirtual().start(() -> {
            try {
                outbox.awaitQueuedAtMost(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        outbox.close();
        second.join(Duration.ofSeconds(10));
        assertFalse(second.isAlive(), "woken when the outbox closed");
    }

    @Test
    void concurrentSendersWithRealWritersLoseNothingKeepOrderAndNeverRunTwoWriters() throws Exception {
        int senders = 8;
        int perSender = 5_000;
        ConcurrentLinkedQueue<String> written = new ConcurrentLinkedQueue<>();
        AtomicInteger active = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger starts = new AtomicInteger();
        Outbox<Frame> outbox = new Outbox<>(FRAMES, Integer.MAX_VALUE, Long.MAX_VALUE);
        Runnable writer = () -> {
            if (active.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            ArrayDeque<Frame> batch = null;
            try {
                while ((batch = outbox.nextBatch(batch)) != null && !batch.isEmpty()) {
                    for (Frame f : batch) {
                        written.add(f.toString());
                    }
                }
            } finally {
                active.decrementAndGet();
            }
        };
        outbox.attachWriter(() -> {
            starts.incrementAndGet();
            Thread.ofVirtual().start(writer);
        });
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perSender; i++) {
                    outbox.offer(frame(sender + ":" + i));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> written.size() == senders * perSender && active.get() == 0);
        assertEquals(0, overlaps.get(), "two writers ran at once");
        int[] next = new int[senders];
        for (String json : written) {
            String ref = json.substring(json.indexOf("\"ref\":\"") + 7, json.lastIndexOf('"'));
            int sender = Integer.parseInt(ref.substring(0, ref.indexOf(':')));
            int seq = Integer.parseInt(ref.substring(ref.indexOf(':') + 1));
            assertEquals(next[sender]++, seq, "per-sender order");
        }
        assertTrue(starts.get() >= 1);
    }
}
