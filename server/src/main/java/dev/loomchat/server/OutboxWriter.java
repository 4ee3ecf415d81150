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

    /**
     * The write buffer of a writer thread's multi-frame batches (a reader writing one batch of
     * its own uses one of the batch's size, up to this); a single frame is written as it is.
     */
    static final int BUFFER_BYTES = 16 * 1024;

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
        try {
            ArrayDeque<Frame> batch = null;
            FrameWriter buffer = null; // kept for the batches of this run
            while ((batch = outbox.nextBatch(batch)) != null) {
                if (batch.isEmpty()) {
                    return; // closed and drained
                }
                if (buffer == null && batch.size() > 1) {
                    buffer = new FrameWriter(out, BUFFER_BYTES);
                }
                write(batch, buffer);
            }
            retired = true; // idle: the next offer starts a new run
        } catch (IOException e) {
            session.finish(ServerMessage.Parted.REASON_DISCONNECT); // the client is gone
        } finally {
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
            try {
                write(batch, null);
            } catch (IOException e) {
                session.finish(ServerMessage.Parted.REASON_DISCONNECT);
                terminate(outbox);
                return true;
            }
        }
        return outbox.retireIfIdle(batch);
    }

    /**
     * Writes a batch with one flush: a single frame as it is; several through {@code buffer}, or
     * through a buffer of the batch's size (at most {@link #BUFFER_BYTES}) when that is {@code null}.
     */
    private void write(ArrayDeque<Frame> batch, FrameWriter buffer) throws IOException {
        long bytes = 0;
        if (batch.size() == 1) {
            Frame frame = batch.getFirst();
            frame.writeTo(out);
            out.flush();
            bytes = frame.length();
        } else {
            if (buffer == null) {
                buffer = new FrameWriter(out, Math.min(BUFFER_BYTES, totalLength(batch)));
            }
            for (Frame frame : batch) {
                buffer.write(frame);
                bytes += frame.length();
            }
            buffer.flush();
        }
        counters.bytesOut.add(bytes);
    }

    private static int totalLength(ArrayDeque<Frame> batch) {
        long total = 0;
        for (Frame frame : batch) {
            total += frame.length();
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /** Closes the connection (which also wakes the reader) and marks the outbox done. */
    private void terminate(Outbox outbox) {
        session.closeConnection();
        outbox.writerTerminated();
    }
}
