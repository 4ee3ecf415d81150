package dev.loomchat.server.door.irc;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.door.ConnectionWriter;
import dev.loomchat.server.door.ConnectionParking;
import dev.loomchat.server.door.SocketPeer;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * An IRC connection as the chat core sees it: a {@link SocketPeer} of {@link IrcFrame}s in the
 * door's one {@link IrcWireFormat}, and whether this client takes message tags (the writer then
 * sends each frame's tagged variant).
 */
final class IrcPeer extends SocketPeer<IrcFrame> {

    /** Set by the reader when CAP negotiation turns server-time or message-tags on (or off); read by the writer. */
    private volatile boolean tags;

    IrcPeer(SocketChannel channel, ConnectionParking parking, IrcWireFormat format, ChatConfig config) {
        super(channel, parking, format, config.outboxFrames(), config.outboxBytes());
    }

    void tags(boolean on) {
        tags = on;
    }

    /** Lets the outbox's frames flow to {@code out}, each tagged or plain as this client takes them. */
    ConnectionWriter<IrcFrame> startWriting(OutputStream out, LongAdder bytesOut, String threadName) {
        return startWriting((frame, to) -> frame.writeTo(to, tags), out, bytesOut, threadName);
    }
}
