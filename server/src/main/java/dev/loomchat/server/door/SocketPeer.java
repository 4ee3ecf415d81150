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
 * <p>Threading: {@link #startWriting} and {@link #flushReplies} on the connection's reader
 * thread; the rest from any thread.
 */
public abstract class SocketPeer<F> implements Peer {

    private final SocketChannel channel;
    private final Outbox<F> outbox;
    /** Set once by {@link #startWriting}, on the reader thread, which alone uses it. */
    private ConnectionWriter<F> writer;

    protected SocketPeer(SocketChannel channel, WireFormat<F> format, int maxFrames, long maxBytes) {
        this.channel = channel;
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

    /** Closes the socket; the reader and writer threads then end. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed either way.
        }
    }
}
