package dev.loomchat.server.door;

import dev.loomchat.server.chat.Outbox;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes one connection's {@link Outbox} to its output, whatever the door's frames are (JSON
 * lines, IRC lines): the only class that writes to a connection. The door says how one of its
 * frames goes on this connection's wire ({@link FrameOutput}). It drains the outbox batch by batch (many frames, one system call under load),
 * gathering a multi-frame batch in a pooled buffer and flushing once per batch (the NATS writer
 * pattern).
 *
 * <p>Who writes: the connection's reader writes its own replies ({@code welcome}, {@code pong},
 * errors, …) itself, in {@link #flushReplies()} just before it waits for the next request: one
 * write for a pipelined burst, no hand-off. Frames offered by any other thread (fan-out,
 * private messages) start a short-lived writer virtual thread, which retires when the outbox is
 * empty; so an idle connection has no writer thread, stack or buffer at all, and at most one
 * writer is active at a time (the outbox's writer role).
 *
 * <p>When the outbox is closed and drained, or a write fails (the client is gone), the writer
 * closes the connection through the action it was given and {@linkplain Outbox#writerTerminated
 * terminates} the outbox. Blocking in a write only ever stalls this client.
 *
 * <p>Threading: {@link #start}, {@link #flushReplies}, {@link #handOffReplies} and
 * {@link #readerResumed} on the connection's reader thread only; the writer threads are its own.
 */
public final class ConnectionWriter<F> {

    /** The size of the buffer that a multi-frame batch is gathered in; a single frame is written as it is. */
    static final int BUFFER_BYTES = 16 * 1024;

    /**
     * The write buffers of all connections' writers: one process-wide pool, like the JDK's own
     * cache of temporary I/O buffers. 64 × 16 KiB at most stay pooled.
     */
    static final WriteBuffers BUFFERS = new WriteBuffers(64, BUFFER_BYTES);

    private final Outbox<F> outbox;
    private final FrameOutput<F> output;
    private final OutputStream out;
    private final Runnable closeConnection;
    private final LongAdder bytesOut;
    /** The connection's reader thread: the one that started writing, or the last to resume a parked connection. */
    private volatile Thread reader;
    /** Every connection's writer threads, each named for its connection (a Thread.Builder is not thread-safe). */
    private static final ThreadFactory WRITER_THREADS = Thread.ofVirtual().factory();

    private final String threadName;
    /** The reader holds the outbox's writer role for its own replies; reader thread only. */
    private boolean replyWriterClaimed;

    private ConnectionWriter(Outbox<F> outbox, FrameOutput<F> output, OutputStream out, Runnable closeConnection,
                             LongAdder bytesOut, String threadName) {
        this.outbox = outbox;
        this.output = output;
        this.out = out;
        this.closeConnection = closeConnection;
        this.bytesOut = bytesOut;
        this.reader = Thread.currentThread();
        this.threadName = threadName;
    }

    /**
     * Lets {@code outbox}'s frames flow to {@code out}: from now on a frame offered to an idle
     * outbox starts a writer thread named {@code threadName}, except for the replies of the
     * calling thread, the connection's reader, which it writes itself in {@link #flushReplies()}.
     *
     * @param output          how a frame goes on this connection's wire
     * @param closeConnection closes the connection (any thread, idempotent); also wakes the reader
     * @param bytesOut        counts the bytes written
     */
    public static <F> ConnectionWriter<F> start(Outbox<F> outbox, FrameOutput<F> output, OutputStream out,
                                                Runnable closeConnection, LongAdder bytesOut, String threadName) {
        ConnectionWriter<F> writer = new ConnectionWriter<>(outbox, output, out, closeConnection, bytesOut,
                threadName);
        outbox.attachWriter(writer::writerNeeded);
        return writer;
    }

    /**
     * Writes the replies the reader has queued for its own client, on the reader thread. If
     * frames keep arriving from other clients meanwhile, a writer thread takes over. It may block
     * in a write to its own client (back-pressure on that client alone; the keepalive and
     * slow-consumer drops still close the connection).
     *
     * @return whether the reader held replies to write (so its client may answer them soon)
     * @throws IOException if the write failed: the connection is closed and the outbox terminated
     */
    public boolean flushReplies() throws IOException {
        if (!replyWriterClaimed) {
            return false;
        }
        replyWriterClaimed = false;
        if (!writeOneBatch()) {
            startWriterThread();
        }
        return true;
    }

    /**
     * Hands the reader's pending replies to a writer thread instead of writing them: for the
     * reader's last act, so that a client that does not read is given a grace period rather than
     * blocking the reader.
     */
    public void handOffReplies() {
        if (replyWriterClaimed) {
            replyWriterClaimed = false;
            startWriterThread();
        }
    }

    /** The reader thread is about to end (the connection parks): until one resumes it, every offer starts a writer. */
    void readerParked() {
        reader = null;
    }

    /**
     * The calling thread is the connection's reader from now on: a parked connection has been
     * resumed on a new thread (the old one has ended, with its replies written).
     */
    void readerResumed() {
        reader = Thread.currentThread();
    }

    /** The outbox needs a writer (called outside its lock): the reader defers it, anyone else starts one. */
    private void writerNeeded() {
        if (Thread.currentThread() == reader) {
            replyWriterClaimed = true; // written by flushReplies, before the reader blocks
        } else {
            startWriterThread();
        }
    }

    private void startWriterThread() {
        Thread writer = WRITER_THREADS.newThread(this::drain);
        writer.setName(threadName);
        writer.start();
    }

    /** A writer thread's body: batches until the outbox is empty (retire) or closed and drained. */
    private void drain() {
        boolean retired = false;
        byte[] buffer = null; // from the pool, for the multi-frame batches of this run
        try {
            ArrayDeque<F> batch = null;
            while ((batch = outbox.nextBatch(batch)) != null) {
                if (batch.isEmpty()) {
                    return; // closed and drained
                }
                if (buffer == null && batch.size() > 1) {
                    buffer = BUFFERS.take();
                }
                write(batch, buffer);
            }
            retired = true; // idle: the next offer starts a new run
        } catch (IOException e) {
            // The client is gone: terminate below.
        } finally {
            if (buffer != null) {
                BUFFERS.give(buffer);
            }
            if (!retired) {
                terminate();
            }
        }
    }

    /**
     * Writes one batch on the reader thread, which holds the writer role. Returns whether it is
     * done; if not (more frames arrived meanwhile, or the outbox was closed) the caller starts a
     * writer thread to go on, so the reader never becomes the writer of a busy room's fan-out.
     */
    private boolean writeOneBatch() throws IOException {
        ArrayDeque<F> batch = outbox.nextBatch(null);
        if (batch == null) {
            return true;
        }
        if (!batch.isEmpty()) {
            byte[] buffer = batch.size() > 1 ? BUFFERS.take() : null;
            try {
                write(batch, buffer);
            } catch (IOException e) {
                terminate();
                throw e;
            } finally {
                if (buffer != null) {
                    BUFFERS.give(buffer);
                }
            }
        }
        return outbox.retireIfIdle(batch);
    }

    /** Writes a batch with one flush: a single frame as it is, several gathered in {@code buffer}. */
    private void write(ArrayDeque<F> batch, byte[] buffer) throws IOException {
        long bytes = 0;
        if (batch.size() == 1) {
            bytes = output.writeTo(batch.getFirst(), out);
            out.flush();
        } else {
            GatheringOutputStream gathered = new GatheringOutputStream(out, buffer);
            for (F frame : batch) {
                bytes += output.writeTo(frame, gathered);
            }
            gathered.flush();
        }
        bytesOut.add(bytes);
    }

    /** Closes the connection (which also wakes the reader) and marks the outbox done. */
    private void terminate() {
        closeConnection.run();
        outbox.writerTerminated();
    }
}
