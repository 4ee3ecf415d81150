package dev.loomchat.server.door;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A small shared pool of write buffers for the connections' writers. A writer runs only while
 * its connection has something to write (see {@link Outbox}), so under fan-out load writers
 * start and retire many thousand times a second; a fresh buffer for each run was most of the
 * server's allocation (JFR of the room benchmark: 82 % of the sampled bytes). A writer takes a
 * buffer when it has several frames to gather and gives it back when it retires.
 *
 * <p>Bounded both ways: when the pool is empty a new buffer is allocated; a buffer given back to
 * a full pool is left to the garbage collector. So it never holds more than
 * {@code capacity × bufferBytes} bytes, and a writer blocked on a slow client only keeps its own.
 *
 * <p>Threading: safe from any thread; never blocks (lock-based queue, no monitor).
 */
final class WriteBuffers {

    private final int bufferBytes;
    private final ArrayBlockingQueue<byte[]> free;

    WriteBuffers(int capacity, int bufferBytes) {
        this.bufferBytes = bufferBytes;
        this.free = new ArrayBlockingQueue<>(capacity);
    }

    /** A buffer of the pool's size: a pooled one, or a new one. */
    byte[] take() {
        byte[] buffer = free.poll();
        return buffer != null ? buffer : new byte[bufferBytes];
    }

    /** Gives {@code buffer} back (its contents are not cleared: writers overwrite before they read). */
    void give(byte[] buffer) {
        if (buffer.length == bufferBytes) {
            free.offer(buffer);
        }
    }

    /** Buffers waiting in the pool; for tests. */
    int pooled() {
        return free.size();
    }
}
