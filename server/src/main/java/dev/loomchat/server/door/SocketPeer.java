package dev.loomchat.server.door;

import dev.loomchat.server.chat.Outbox;
import dev.loomchat.server.chat.Peer;
import dev.loomchat.server.chat.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * A socket connection as the chat core sees it, whatever the door's frames: an outbox of
 * {@code F}s in the door's {@link WireFormat}, its {@link ConnectionWriter} once writing has
 * started, and the socket to close.
 *
 * <p>Threading: {@link #startWriting}, {@link #flushReplies} and {@link #readerResumed} on the
 * connection's reader thread; the rest from any thread.
 */
public abstract class SocketPeer<F> implements Peer {

    private final SocketChannel channel;
    /** How the connection parks while its client is quiet, or null if it never does. */
    private final ConnectionParking parking;
    private final Outbox<F> outbox;
    /** Set once by {@link #startWriting}, on the reader thread, which alone uses it. */
    private ConnectionWriter<F> writer;

    /** {@code parking}: the connection's, or null if it never parks ({@link ParkingStreamHandler#parking()}). */
    protected SocketPeer(SocketChannel channel, ConnectionParking parking, WireFormat<F> format, int maxFrames,
                         long maxBytes) {
        this.channel = channel;
        this.parking = parking;
        this.outbox = new Outbox<>(format, maxFrames, maxBytes);
    }

    @Override
    public Outbox<F> outbox() {
        return outbox;
    }

    /**
     * Lets the outbox's frames flow to {@code out} as {@code output} writes them (see
     * {@link ConnectionWriter}); the calling thread becomes the reader that writes its own
     * replies. Once.
     */
    protected ConnectionWriter<F> startWriting(FrameOutput<F> output, OutputStream out, LongAdder bytesOut,
                                               String threadName) {
        writer = ConnectionWriter.start(outbox, output, out, this::close, bytesOut, threadName);
        return writer;
    }

    @Override
    public void flushReplies() {
        try {
            writer.flushReplies();
        } catch (IOException e) {
            // The writer closed the connection: the reader's next read ends the session.
        }
    }

    /** The reader thread is about to end, leaving the connection parked. */
    void readerParked() {
        writer.readerParked();
    }

    /** A new thread has taken over as the connection's reader (a parked connection resumed). */
    void readerResumed() {
        writer.readerResumed();
    }

    /** Closes the socket; the reader (woken if parked) and writer threads then end. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed either way.
        }
        if (parking != null) {
            parking.wake();
        }
    }
}
