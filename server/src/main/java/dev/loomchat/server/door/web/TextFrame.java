package dev.loomchat.server.door.web;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.chat.WireFormat;

/**
 * One server message as a WebSocket text message: the JSON object of its {@link Frame}, without
 * the line feed (a WebSocket message is framed by the WebSocket itself), and the bytes it takes.
 *
 * @param text  the JSON text
 * @param bytes its length in UTF-8, what the outbox's byte bound counts
 */
record TextFrame(String text, int bytes) {

    /** The web door's wire format; stateless, so one instance serves every connection. */
    static final WireFormat<TextFrame> FORMAT = new WireFormat<>() {
        @Override
        public TextFrame encode(ServerMessage message) {
            return of(Frame.of(message));
        }

        @Override
        public int size(TextFrame frame) {
            return frame.bytes();
        }

        @Override
        public String toString() {
            return "websocket-text";
        }
    };

    /** The text message of an encoded line. */
    static TextFrame of(Frame frame) {
        return new TextFrame(frame.toString(), frame.length() - 1);
    }
}
