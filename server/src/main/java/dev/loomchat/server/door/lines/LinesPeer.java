package dev.loomchat.server.door.lines;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.chat.WireFormat;
import dev.loomchat.server.door.ConnectionParking;
import dev.loomchat.server.door.ConnectionWriter;
import dev.loomchat.server.door.FrameOutput;
import dev.loomchat.server.door.SocketPeer;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * A JSON-lines connection as the chat core sees it: a {@link SocketPeer} of {@link Frame}s (one
 * JSON object and its {@code \n} each, PROTOCOL.md), written as they are.
 */
final class LinesPeer extends SocketPeer<Frame> {

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

    LinesPeer(SocketChannel channel, ConnectionParking parking, ChatConfig config) {
        super(channel, parking, JSON_LINES, config.outboxFrames(), config.outboxBytes());
    }

    /** Lets the outbox's JSON lines flow to {@code out} (see {@link SocketPeer#startWriting}). */
    ConnectionWriter<Frame> startWriting(OutputStream out, LongAdder bytesOut, String threadName) {
        return startWriting(AS_IS, out, bytesOut, threadName);
    }
}
