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

    /** The write buffer of a multi-frame batch; a single frame is written as it is, unbuffered. */
    static final int BUFFER_BYTES = 4096;

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
            FrameWriter buffered = null;
            ArrayDeque<Frame> batch = null;
            while ((batch = outbox.nextBatch(batch)) != null) {
                if (batch.isEmpty()) {
                    return; // closed and drained
                }
                long bytes = 0;
                if (batch.size() == 1) {
                    Frame frame = batch.getFirst();
                    frame.writeTo(out);
                    out.flush();
                    bytes = frame.length();
                } else {
                    if (buffered == null) {
                        buffered = new FrameWriter(out, BUFFER_BYTES);
                    }
                    for (Frame frame : batch) {
                        buffered.write(frame);
                        bytes += frame.length();
                    }
                    buffered.flush();
                }
                counters.bytesOut.add(bytes);
            }
            retired = true; // idle: the next offer starts a new run
        } catch (IOException e) {
            session.finish(ServerMessage.Parted.REASON_DISCONNECT); // the client is gone
        } finally {
            if (!retired) {
                // Wakes the reader thread too: the session is over once nothing more can be sent.
                session.closeConnection();
                outbox.writerTerminated();
            }
        }
    }
}
