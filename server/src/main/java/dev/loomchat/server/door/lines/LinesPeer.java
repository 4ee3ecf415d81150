package dev.loomchat.server.door.lines;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.chat.Outbox;
import dev.loomchat.server.chat.Peer;
import dev.loomchat.server.chat.WireFormat;
import dev.loomchat.server.door.ConnectionWriter;
import dev.loomchat.server.door.FrameOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * A JSON-lines connection as the chat core sees it: an outbox of {@link Frame}s (one JSON object
 * and its {@code \n} each, PROTOCOL.md), its {@link ConnectionWriter} once writing has started,
 * and the socket to close.
 *
 * <p>Threading: {@link #startWriting} and {@link #flushReplies} on the connection's reader
 * thread; the rest from any thread.
 */
final class LinesPeer implements Peer {

    /** The wire format of this door: a server message as one JSON line. */
    static final WireFormat<Frame> JSON_LINES = new WireFormat<>() {
        @Override
        public Frame encode(ServerMessage message) {
            return Frame.of(message);
        }

        @Override
        public int size(Frame frame) {
            return frame.length();
        }

        @Override
        public String toString() {
            return "json-lines";
        }
    };

    /** A JSON line goes on every connection's wire as it is. */
    static final FrameOutput<Frame> AS_IS = (frame, out) -> {
        frame.writeTo(out);
        return frame.length();
    };

    private final SocketChannel channel;
    private final Outbox<Frame> outbox;
    /** Set once by {@link #startWriting}, on the reader thread, which alone uses it. */
    private ConnectionWriter<Frame> writer;

    LinesPeer(SocketChannel channel, ChatConfig config) {
        this.channel = channel;
        this.outbox = new Outbox<>(JSON_LINES, config.outboxFrames(), config.outboxBytes());
    }

    @Override
    public Outbox<Frame> outbox() {
        return outbox;
    }

    /**
     * Lets the outbox's frames flow to {@code out} (see {@link ConnectionWriter}); the calling
     * thread becomes the reader that writes its own replies. Once.
     */
    ConnectionWriter<Frame> startWriting(OutputStream out, LongAdder bytesOut, String threadName) {
        writer = ConnectionWriter.start(outbox, AS_IS, out, this::close, bytesOut, threadName);
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
