package dev.loomchat.server.chat;

import dev.loomchat.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection's bounded outbound queue, and the rule for when its writer runs: any thread
 * offers frames without ever waiting; a writer drains them in batches and retires when the
 * queue is empty. The offer that finds the outbox idle starts the writer, so an idle
 * connection has no writer thread (no stack, no write buffer) at all.
 *
 * <p>Frames are events encoded in the door's {@link WireFormat}: an {@link Outgoing} offered to
 * many outboxes is encoded once per format. The writer belongs to the door (it knows the
 * output); this class knows frames and their sizes only.
 *
 * <p>Bounded by frame count and by bytes: an offer beyond either bound is refused
 * ({@link Offer#OVERFLOW}) and the caller drops the client as a slow consumer, so a client that
 * stops reading costs at most the bounds. After {@link #close()} offers are ignored
 * ({@link Offer#CLOSED}) and the writer drains what is left; {@link #abortWith} replaces what is
 * left by one last frame.
 *
 * <p>Writer life cycle: a new outbox holds its frames until {@link #attachWriter}; from then on
 * at most one writer is active. A writer calls {@link #nextBatch} in a loop: a batch to write;
 * {@code null} when the queue is empty (it retires; the next offer starts a new one); or an
 * empty batch when the outbox is closed and drained (it closes the connection and calls
 * {@link #writerTerminated}). Frames are written in the order they were offered.
 *
 * <p>Threading: {@code nextBatch}, {@code retireIfIdle} and {@code writerTerminated} from the
 * active writer only; everything else from any thread. The writer-start callback runs on the
 * offering thread, outside the lock.
 */
public final class Outbox<F> {

    /** What happened to an offered frame. */
    public enum Offer { QUEUED, OVERFLOW, CLOSED }

    private final WireFormat<F> format;
    private final int maxFrames;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition terminatedCondition = lock.newCondition();
    /** Signalled whenever queued bytes go down (a batch taken, an abort, the end). */
    private final Condition drained = lock.newCondition();
    private ArrayDeque<F> queue = new ArrayDeque<>();
    /** The last batch, emptied, kept for reuse: batches alternate between two queues. */
    private ArrayDeque<F> spare;
    private long bytes;
    private boolean closed;
    /** Starts a writer; {@code null} until {@link #attachWriter}. */
    private Runnable startWriter;
    /** A writer has been started and has not retired (also true while held before attach). */
    private boolean writerActive = true;
    private boolean terminated;

    /**
     * An outbox of frames in {@code format}, refusing offers beyond {@code maxFrames} frames or
     * {@code maxBytes} bytes queued.
     */
    public Outbox(WireFormat<F> format, int maxFrames, long maxBytes) {
        this.format = format;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /**
     * Gives the outbox the way to start a writer (typically: a new virtual thread draining it
     * to the connection), and starts one now if frames are already waiting. Call once.
     */
    public void attachWriter(Runnable startWriter) {
        boolean startNow;
        lock.lock();
        try {
            if (this.startWriter != null) {
                throw new IllegalStateException("writer already attached");
            }
            this.startWriter = startWriter;
            startNow = !queue.isEmpty() || closed;
            writerActive = startNow;
        } finally {
            lock.unlock();
        }
        if (startNow) {
            startWriter.run();
        }
    }

    /** Queues {@code event} in this outbox's format (encoded once per format, however many outboxes get it). */
    public Offer offer(Outgoing event) {
        return offer(event.encoded(format));
    }

    /** Queues a message for this connection alone (encoded here: nobody else shares it). */
    public Offer offer(ServerMessage message) {
        return offer(format.encode(message));
    }

    /** Queues {@code frame} unless closed or full, never blocking; also a door's own replies (IRC {@code VERSION}). */
    public Offer offer(F frame) {
        int length = format.size(frame);
        Runnable start;
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            if (queue.size() >= maxFrames || bytes + length > maxBytes) {
                return Offer.OVERFLOW;
            }
            queue.addLast(frame);
            bytes += length;
            start = claimWriter();
        } finally {
            lock.unlock();
        }
        run(start);
        return Offer.QUEUED;
    }

    /**
     * Queues the frames one request asked for (a history replay) in one step: all of them or, if
     * either bound would be exceeded, none ({@link Offer#OVERFLOW}). Replays count in full; the
     * reader waits for room before its next request ({@code Session.awaitRoomForReplies}).
     */
    public Offer offerBurst(List<Outgoing> events) {
        List<F> frames = new ArrayList<>(events.size());
        for (Outgoing event : events) {
            frames.add(event.encoded(format));
        }
        return offerFrames(frames);
    }

    /** {@link #offerBurst} of encoded frames. */
    Offer offerFrames(List<F> frames) {
        long length = 0;
        for (F frame : frames) {
            length += format.size(frame);
        }
        Runnable start;
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            if (queue.size() + frames.size() > maxFrames || bytes + length > maxBytes) {
                return Offer.OVERFLOW;
            }
            queue.addAll(frames);
            bytes += length;
            start = queue.isEmpty() ? null : claimWriter();
        } finally {
            lock.unlock();
        }
        run(start);
        return Offer.QUEUED;
    }

    /**
     * The active writer's next batch, all queued frames, oldest first; never blocks. {@code null}:
     * nothing is queued and the writer retires. Empty: closed and drained, so the writer closes
     * the connection and calls {@link #writerTerminated}.
     *
     * @param written the previous batch, written and no longer needed, or {@code null}
     */
    public ArrayDeque<F> nextBatch(ArrayDeque<F> written) {
        lock.lock();
        try {
            recycle(written);
            if (queue.isEmpty()) {
                if (closed) {
                    return queue;
                }
                writerActive = false;
                return null;
            }
            ArrayDeque<F> batch = queue;
            queue = spare != null ? spare : new ArrayDeque<>();
            spare = null;
            bytes = 0;
            drained.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires the active writer if nothing is queued and the outbox is open, and says whether it
     * did; else the writer must go on. For a reader that writes one batch of its own replies.
     */
    public boolean retireIfIdle(ArrayDeque<F> written) {
        lock.lock();
        try {
            recycle(written);
            if (queue.isEmpty() && !closed) {
                writerActive = false;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The writer has closed the connection: the outbox is done for good. Idempotent. */
    public void writerTerminated() {
        lock.lock();
        try {
            closed = true;
            terminated = true;
            queue.clear();
            bytes = 0;
            terminatedCondition.signalAll();
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** No more frames: the writer sends what is queued, then terminates. Idempotent. */
    public void close() {
        Runnable start;
        lock.lock();
        try {
            closed = true;
            drained.signalAll();
            start = claimWriter();
        } finally {
            lock.unlock();
        }
        run(start);
    }

    /** Drops everything queued, queues {@code last} alone (bounds ignored) and closes. */
    public void abortWith(Outgoing last) {
        abortWith(last.encoded(format));
    }

    void abortWith(F last) {
        Runnable start;
        lock.lock();
        try {
            if (terminated) {
                return;
            }
            queue.clear();
            queue.addLast(last);
            bytes = format.size(last);
            closed = true;
            drained.signalAll();
            start = claimWriter();
        } finally {
            lock.unlock();
        }
        run(start);
    }

    /**
     * Waits until the writer has terminated the outbox. Once {@link #close closed} it always
     * does: the close starts a writer if none is active, and a writer blocked in a write ends when
     * the connection is closed.
     */
    public void awaitTerminated() throws InterruptedException {
        awaitTerminated(Duration.ofNanos(Long.MAX_VALUE));
    }

    /** Waits at most {@code timeout} until the writer has terminated the outbox; returns whether it has. */
    public boolean awaitTerminated(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!terminated) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminatedCondition.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The bytes {@code event} takes in this outbox's format (encoding it now, once). */
    int sizeOf(Outgoing event) {
        return format.size(event.encoded(format));
    }

    /** The byte bound. */
    long maxBytes() {
        return maxBytes;
    }

    /** Bytes queued and not yet taken by a writer. */
    long queuedBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at most {@code limit} bytes are queued, or the outbox is closed. */
    void awaitQueuedAtMost(long limit) throws InterruptedException {
        lock.lock();
        try {
            while (bytes > limit && !closed) {
                drained.await();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: keeps a written batch, emptied, as the next queue. */
    private void recycle(ArrayDeque<F> written) {
        if (written != null) {
            written.clear();
            spare = written;
        }
    }

    /** Under the lock: marks a writer active and returns how to start it, or null if one is active. */
    private Runnable claimWriter() {
        if (writerActive || terminated) {
            return null;
        }
        writerActive = true;
        return startWriter;
    }

    private static void run(Runnable start) {
        if (start != null) {
            start.run();
        }
    }
}
