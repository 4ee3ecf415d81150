package dev.loomchat.server;

import dev.loomchat.protocol.Frame;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection's bounded outbound queue: any thread offers frames without ever waiting; the
 * connection's writer thread takes them in batches.
 *
 * <p>Bounded by frame count and by bytes. An offer that would exceed either bound is refused
 * ({@link Offer#OVERFLOW}) and the caller drops the client as a slow consumer: a sender never
 * waits for a receiver, and a client that stops reading costs at most the bounds in memory.
 * After {@link #close()} offers are ignored ({@link Offer#CLOSED}) and the writer drains what is
 * left; {@link #abortWith} replaces what is left by one last frame.
 *
 * <p>Threading: {@code offer}, {@code offerBurst}, {@code close} and {@code abortWith} from any thread;
 * {@link #takeBatch} from the single writer thread.
 */
final class Outbox {

    /** What happened to an offered frame. */
    enum Offer { QUEUED, OVERFLOW, CLOSED }

    private final int maxFrames;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private ArrayDeque<Frame> queue = new ArrayDeque<>();
    private long bytes;
    /** Frames and bytes of a queued {@link #offerBurst burst} that do not count against the bounds. */
    private int burstFrames;
    private long burstBytes;
    private boolean closed;

    Outbox(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** Queues {@code frame} unless the queue is closed or full; never blocks on I/O. */
    Offer offer(Frame frame) {
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            if (queue.size() - burstFrames >= maxFrames || bytes - burstBytes + frame.length() > maxBytes) {
                return Offer.OVERFLOW;
            }
            queue.addLast(frame);
            bytes += frame.length();
            if (queue.size() == 1) {
                notEmpty.signal();
            }
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues, in one step, frames the client asked for in one request (a history replay). While
     * no earlier burst is still queued, a burst does not count against the bounds: a replay is
     * bounded by the history length, and a client that has just joined must not be taken for a
     * slow consumer because the room's history is longer than its queue. A burst offered while
     * another one is still queued (the client asks again without reading) counts in full, so
     * memory stays bounded by the bounds plus one burst.
     */
    Offer offerBurst(List<Frame> frames) {
        long length = 0;
        for (Frame frame : frames) {
            length += frame.length();
        }
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            boolean free = burstFrames == 0;
            if (!free && (queue.size() - burstFrames + frames.size() > maxFrames
                    || bytes - burstBytes + length > maxBytes)) {
                return Offer.OVERFLOW;
            }
            boolean wasEmpty = queue.isEmpty();
            queue.addAll(frames);
            bytes += length;
            if (free) {
                burstFrames = frames.size();
                burstBytes = length;
            }
            if (wasEmpty && !queue.isEmpty()) {
                notEmpty.signal();
            }
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for frames and takes all of them: the writer's batch. Returns an empty queue once the
     * outbox is closed and drained: the writer's cue to finish.
     */
    ArrayDeque<Frame> takeBatch(ArrayDeque<Frame> spare) throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !closed) {
                notEmpty.await();
            }
            ArrayDeque<Frame> batch = queue;
            queue = spare;
            bytes = 0;
            burstFrames = 0;
            burstBytes = 0;
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** No more frames: the writer sends what is queued, then finishes. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything queued, queues {@code last} alone (bounds ignored) and closes. */
    void abortWith(Frame last) {
        lock.lock();
        try {
            queue.clear();
            queue.addLast(last);
            bytes = last.length();
            burstFrames = 0;
            burstBytes = 0;
            closed = true;
            notEmpty.signal();
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
}
