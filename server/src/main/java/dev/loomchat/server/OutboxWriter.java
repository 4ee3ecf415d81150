package dev.loomchat.server;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.FrameWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * The body of a connection's writer thread: takes batches from the {@link Outbox}, writes them
 * through one buffer and flushes once per batch (many frames, one system call under load), and
 * closes the connection when the outbox is closed and drained or the client is gone.
 *
 * <p>Threading: runs on its own virtual thread, the only writer of the connection; blocking in a
 * write only ever stalls this client.
 */
final class OutboxWriter implements Runnable {

    /** The write buffer; allocated at the first frame, so idle connections cost none. */
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
        ArrayDeque<Frame> spare = new ArrayDeque<>();
        FrameWriter writer = null;
        try {
            while (true) {
                ArrayDeque<Frame> batch = session.outbox().takeBatch(spare);
                if (batch.isEmpty()) {
                    return; // closed and drained
                }
                if (writer == null) {
                    writer = new FrameWriter(out, BUFFER_BYTES);
                }
                long bytes = 0;
                for (Frame frame : batch) {
                    writer.write(frame);
                    bytes += frame.length();
                }
                writer.flush();
                counters.bytesOut.add(bytes);
                batch.clear();
                spare = batch;
            }
        } catch (IOException e) {
            session.finish(dev.loomchat.protocol.ServerMessage.Parted.REASON_DISCONNECT); // the client is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Wakes the reader thread too: the session is over once nothing more can be sent.
            session.closeConnection();
        }
    }
}
