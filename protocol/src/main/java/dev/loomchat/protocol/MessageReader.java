package dev.loomchat.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads messages of one direction from a stream: a {@link LineReader} for framing plus a
 * {@link Codec} for each line. What a connection handler loops on.
 *
 * <pre>{@code
 * var reader = new MessageReader<>(rfile, Codec.CLIENT_TO_SERVER, limits.maxLineBytes());
 * }</pre>
 *
 * <p>{@link #read()} returns {@link Decoded.Ok}, {@link Decoded.Bad} (a bad line: the stream
 * stays in sync, keep reading) or {@link Decoded.End} (for good). It throws only the stream's
 * {@link IOException}, after which the reader is still consistent (a
 * {@link java.net.SocketTimeoutException} can be retried).
 *
 * <p>Not thread-safe: one owner thread.
 *
 * @param <M> {@link ClientMessage} or {@link ServerMessage}
 */
public final class MessageReader<M extends Message> {

    private final LineReader lines;
    private final Codec<M> codec;

    /** A reader with the codec's {@link Codec#defaultMaxLineBytes() default line limit}. */
    public MessageReader(InputStream in, Codec<M> codec) {
        this(in, codec, codec.defaultMaxLineBytes());
    }

    /** A reader that rejects lines longer than {@code maxLineBytes} with {@code line_too_long}. */
    public MessageReader(InputStream in, Codec<M> codec, int maxLineBytes) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.lines = new LineReader(in, maxLineBytes);
    }

    /** The line limit in bytes. */
    public int maxLineBytes() {
        return lines.maxLineBytes();
    }

    /** Reads and decodes the next non-blank line; blocks until one, a bad line, or the end. */
    public Decoded<M> read() throws IOException {
        return switch (lines.read()) {
            case Line.Text text -> codec.decode(text.bytes());
            case Line.TooLong tooLong -> new Decoded.Bad<>(new ProtocolError(ErrorCode.LINE_TOO_LONG,
                    "line longer than " + tooLong.limit() + " bytes; discarded up to its newline", null));
            case Line.Truncated truncated -> new Decoded.Bad<>(new ProtocolError(ErrorCode.EOF_MID_LINE,
                    "stream ended in the middle of a line (" + truncated.bytes() + " bytes after the last newline)",
                    null));
            case Line.End end -> new Decoded.End<>();
        };
    }

    /**
     * Whether a whole line is already buffered, so the next {@link #read()} will not block on the
     * stream: a server writes its pending replies once this is false (one write for a pipelined
     * burst of requests, and never a reply held back while waiting for input).
     */
    public boolean hasBufferedLine() {
        return lines.hasBufferedLine();
    }

    /** Lets go of the line buffer while nothing is pending ({@link LineReader#releaseBuffer()}). */
    public void releaseBuffer() {
        lines.releaseBuffer();
    }

    /** The largest buffer the line reader has held; for tests. */
    int largestBufferCapacity() {
        return lines.largestBufferCapacity();
    }
}
