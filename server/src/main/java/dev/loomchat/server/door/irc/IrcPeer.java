package dev.loomchat.server.door.irc;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.chat.Outbox;
import dev.loomchat.server.chat.Peer;
import dev.loomchat.server.door.ConnectionWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * An IRC connection as the chat core sees it: an outbox of {@link IrcFrame}s in the door's one
 * {@link IrcWireFormat}, its {@link ConnectionWriter}, and whether this client takes message tags
 * (the writer then sends each frame's tagged variant).
 *
 * <p>Threading: {@link #startWriting} and {@link #flushReplies} on the connection's reader
 * thread; the rest from any thread.
 */
final class IrcPeer implements Peer {

    private final SocketChannel channel;
    private final Outbox<IrcFrame> outbox;
    /** Set by the reader when CAP negotiation turns server-time or message-tags on (or off); read by the writer. */
    private volatile boolean tags;
    private ConnectionWriter<IrcFrame> writer;

    IrcPeer(SocketChannel channel, IrcWireFormat format, ChatConfig config) {
        this.channel = channel;
        this.outbox = new Outbox<>(format, config.outboxFrames(), config.outboxBytes());
    }

    @Override
    public Outbox<IrcFrame> outbox() {
        return outbox;
    }

    void tags(boolean on) {
        tags = on;
    }

    ConnectionWriter<IrcFrame> startWriting(OutputStream out, LongAdder bytesOut, String threadName) {
        writer = ConnectionWriter.start(outbox, (frame, to) -> frame.writeTo(to, tags), out, this::close, bytesOut,
                threadName);
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

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed either way.
        }
    }
}
