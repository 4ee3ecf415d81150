package dev.loomchat.server;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.FrameWriter;
import dev.loomchat.protocol.ServerMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * The body of a connection's writer: drains the {@link Outbox} batch by batch (many frames, one
 * system call under load) and retires when it is empty; closes the connection when the outbox
 * is closed and drained or the client is gone.
 *
 * <p>Threading: each run is a short-lived virtual thread that the outbox starts when a frame
 * arrives while no writer is active ({@link Outbox#attachWriter}), so at most one runs per
 * connection and an idle connection has none. Blocking in a write only ever stalls this client.
 * The same instance serves every run; it keeps no state between runs.
 */
final class OutboxWriter implements Runnable {

    /** The size of the buffer that a multi-frame batch is gathered in; a single frame is written as it is. */
    static final int BUFFER_BYTES = 16 * 1024;

    /**
     * The write buffers of all connections' writers: one process-wide pool, like the JDK's own
     * cache of temporary I/O buffers. 64 × 16 KiB at most stay pooled.
     */
    static final WriteBuffers BUFFERS = new WriteBuffers(64, BUFFER_BYTES);

    private final Session session;
    private final OutputStream out;
    private final ServerCounters counters;

    OutboxWriter(Session session, OutputStream out, ServerCounters counters) {
        this.session = session;
        this.out = out;
        this.counters = counters;
    }

    @Override
    public void run() {
        Outbox outbox = session.outbox();
        boolean retired = false;
        byte[] buffer = null; // from the pool, for the multi-frame batches of this run
        try {
            ArrayDeque<Frame> batch = null;
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
            session.finish(ServerMessage.Parted.REASON_DISCONNECT); // the client is gone
        } finally {
            if (buffer != null) {
                BUFFERS.give(buffer);
            }
            if (!retired) {
                terminate(outbox);
            }
        }
    }

    /**
     * Writes one batch on the calling thread, the connection's reader, which holds the writer
     * role: its own replies go out without a thread hand-off. Returns whether it is done; if not
     * (more frames arrived meanwhile, or the outbox was closed) the caller must start a writer
     * thread to go on, so the reader never becomes the writer of a busy room's fan-out.
     */
    boolean runOneBatch() {
        Outbox outbox = session.outbox();
        ArrayDeque<Frame> batch = outbox.nextBatch(null);
        if (batch == null) {
            return true;
        }
        if (!batch.isEmpty()) {
            byte[] buffer = batch.size() > 1 ? BUFFERS.take() : null;
            try {
                write(batch, buffer);
            } catch (IOException e) {
                session.finish(ServerMessage.Parted.REASON_DISCONNECT);
                terminate(outbox);
                return true;
            } finally {
                if (buffer != null) {
                    BUFFERS.give(buffer);
                }
            }
        }
        return outbox.retireIfIdle(batch);
    }

    /** Writes a batch with one flush: a single frame as it is, several gathered in {@code buffer}. */
    private void write(ArrayDeque<Frame> batch, byte[] buffer) throws IOException {
        long bytes = 0;
        if (batch.size() == 1) {
            Frame frame = batch.getFirst();
            frame.writeTo(out);
            out.flush();
            bytes = frame.length();
        } else {
            FrameWriter gathered = new FrameWriter(out, buffer);
            for (Frame frame : batch) {
                gathered.write(frame);
                bytes += frame.length();
            }
            gathered.flush();
        }
        counters.bytesOut.add(bytes);
    }

    /** Closes the connection (which also wakes the reader) and marks the outbox done. */
    private void terminate(Outbox outbox) {
        session.closeConnection();
        outbox.writerTerminated();
    }
}
