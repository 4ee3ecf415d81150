package dev.loomchat.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One encoded message as it goes on the wire: UTF-8 JSON followed by a single {@code \n}, with no
 * other newline in it. Immutable and thread-safe, so a server encodes a room message once and
 * hands the same {@code Frame} to every member's outbound queue and {@link FrameWriter}.
 */
public final class Frame {

    private final byte[] line;

    /** Takes ownership of {@code line}, which the codec guarantees ends with the only {@code \n}. */
    Frame(byte[] line) {
        this.line = line;
    }

    /** Encodes {@code message} with the codec of its direction. */
    public static Frame of(Message message) {
        return switch (message) {
            case ClientMessage m -> Codec.CLIENT_TO_SERVER.encode(m);
            case ServerMessage m -> Codec.SERVER_TO_CLIENT.encode(m);
        };
    }

    /** The number of bytes on the wire, the newline included. */
    public int length() {
        return line.length;
    }

    /** A copy of the bytes on the wire, the trailing {@code \n} included. */
    public byte[] toByteArray() {
        return line.clone();
    }

    /** Writes the whole frame to {@code out} (no flush). */
    public void writeTo(OutputStream out) throws IOException {
        out.write(line);
    }

    /** Copies the frame into {@code target} at {@code offset}; for {@link FrameWriter}. */
    void copyTo(byte[] target, int offset) {
        System.arraycopy(line, 0, target, offset, line.length);
    }

    /** The JSON text, without the newline. */
    @Override
    public String toString() {
        return new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Frame frame && Arrays.equals(line, frame.line);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(line);
    }
}
