package dev.loomchat.server;

import dev.loomchat.protocol.Frame;
import java.util.ArrayDeque;
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
 * <p>Threading: {@code offer}, {@code close} and {@code abortWith} from any thread;
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
            if (queue.size() >= maxFrames || bytes + frame.length() > maxBytes) {
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
