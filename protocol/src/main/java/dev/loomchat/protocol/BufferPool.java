package dev.loomchat.protocol;

import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.RecyclerPool;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Jackson's buffer recyclers for the protocol's parsers and generators, pooled in a small fixed
 * array of slots instead of Jackson's default concurrent deque.
 *
 * <p>Why: every frame in and out takes a recycler for the duration of one parse or one encode,
 * and with the default pool its handling (a deque node per release, and an atomic operation per
 * buffer inside the recycler) was a fifth of the cost of encoding a {@code say}. Here a
 * recycler is taken and given back with one atomic operation each, and, being used by one
 * parser or generator at a time (the pool hands it to one owner, and the owner gives it back
 * when it closes), keeps its buffers in plain arrays. A per-thread pool is not an option: with a
 * virtual thread per connection it would keep a recycler's buffers (about 12 KiB) for every
 * connection.
 *
 * <p>Bounded: at most {@link #SLOTS} recyclers are kept, each keeping buffers of at most
 * {@link #MAX_KEPT_BUFFER} bytes or chars; a recycler finding no free slot is left to the
 * garbage collector, and a larger buffer is not kept. Thread-safe.
 */
final class BufferPool implements RecyclerPool<BufferRecycler> {

    /** Enough for every carrier thread to find one, and then some; a power of two. */
    static final int SLOTS = 32;

    /** Larger buffers (grown for one long line) are not kept. */
    static final int MAX_KEPT_BUFFER = 64 * 1024;

    static final BufferPool INSTANCE = new BufferPool();

    private final AtomicReferenceArray<BufferRecycler> slots = new AtomicReferenceArray<>(SLOTS);

    private BufferPool() {
    }

    @Override
    public BufferRecycler acquirePooled() {
        int start = probe();
        for (int i = 0; i < SLOTS; i++) {
            int slot = (start + i) & (SLOTS - 1);
            // A plain read first: an atomic swap only where there is something to take.
            if (slots.getPlain(slot) != null) {
                BufferRecycler recycler = slots.getAndSet(slot, null);
                if (recycler != null) {
                    return recycler;
                }
            }
        }
        return new ExclusiveRecycler();
    }

    @Override
    public void releasePooled(BufferRecycler recycler) {
        int start = probe();
        for (int i = 0; i < SLOTS; i++) {
            int slot = (start + i) & (SLOTS - 1);
            if (slots.getPlain(slot) == null && slots.compareAndSet(slot, null, recycler)) {
                return;
            }
        }
        // Every slot is taken: let this one go.
    }

    @Override
    public int pooledCount() {
        int count = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (slots.get(i) != null) {
                count++;
            }
        }
        return count;
    }

    @Override
    public boolean clear() {
        for (int i = 0; i < SLOTS; i++) {
            slots.set(i, null);
        }
        return true;
    }

    /** Where a thread starts looking: spread, so that concurrent threads mostly meet different slots. */
    private static int probe() {
        long id = Thread.currentThread().threadId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 59); // the top 5 bits: 0 to 31
    }

    /**
     * A recycler whose buffers live in plain arrays. Safe because the pool gives it to one owner
     * at a time, and taking it from or putting it in a slot is an atomic operation that orders
     * the owners' accesses.
     */
    static final class ExclusiveRecycler extends BufferRecycler {
        private final byte[][] byteBuffers = new byte[8][];
        private final char[][] charBuffers = new char[8][];

        ExclusiveRecycler() {
            super(0, 0); // no atomic arrays: the plain ones above replace them
        }

        @Override
        public byte[] allocByteBuffer(int index, int minSize) {
            int size = Math.max(minSize, byteBufferLength(index));
            byte[] buffer = byteBuffers[index];
            byteBuffers[index] = null;
            return buffer != null && buffer.length >= size ? buffer : balloc(size);
        }

        @Override
        public void releaseByteBuffer(int index, byte[] buffer) {
            byte[] kept = byteBuffers[index];
            if (buffer.length <= MAX_KEPT_BUFFER && (kept == null || buffer.length > kept.length)) {
                byteBuffers[index] = buffer;
            }
        }

        @Override
        public char[] allocCharBuffer(int index, int minSize) {
            int size = Math.max(minSize, charBufferLength(index));
            char[] buffer = charBuffers[index];
            charBuffers[index] = null;
            return buffer != null && buffer.length >= size ? buffer : calloc(size);
        }

        @Override
        public void releaseCharBuffer(int index, char[] buffer) {
            char[] kept = charBuffers[index];
            if (buffer.length <= MAX_KEPT_BUFFER && (kept == null || buffer.length > kept.length)) {
                charBuffers[index] = buffer;
            }
        }
    }
}
