package dev.loomchat.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.databind.ObjectReader;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decodes one line into a message of one direction, and encodes messages into {@link Frame}s.
 * There are exactly two: {@link #CLIENT_TO_SERVER} (what a server reads) and
 * {@link #SERVER_TO_CLIENT} (what a client reads).
 *
 * <p>Decoding never throws for bad input: every problem becomes a {@link Decoded.Bad} with a
 * distinct {@link ErrorCode}, checked in this order: invalid UTF-8 ({@code bad_encoding}), a NUL
 * byte or malformed JSON or data after the object ({@code bad_json}), valid JSON that is not an
 * object ({@code not_object}); then, for client messages only, a {@code ref} that is not a
 * string or longer than {@link Protocol#MAX_REF_LENGTH} ({@code bad_request}); then a missing or
 * non-string {@code type} ({@code bad_request}), a type this direction does not have
 * ({@code unknown_type}), a missing or ill-typed field ({@code bad_request}, naming the field).
 * The {@code ref} is recovered for the last three only: an error about the line itself or about
 * the ref carries none. Unknown extra fields are ignored. Error messages are written for client
 * authors: they say where and what ({@code invalid JSON at column 17: unexpected character '}'}),
 * and quote client strings clipped and escaped ({@link ErrorText}).
 *
 * <p>Thread-safe and stateless. Encoding writes every message with Jackson's streaming generator;
 * decoding binds the common well-formed line with its streaming parser, which also reports
 * malformed JSON, and hands anything else to the data-binding mapper, whose rejection is then
 * parsed a second time to explain it. Both paths take the same decisions (a test compares them).
 *
 * @param <M> {@link ClientMessage} or {@link ServerMessage}
 */
public final class Codec<M extends Message> {

    /** Client-to-server messages: what a server decodes, what a client encodes. */
    public static final Codec<ClientMessage> CLIENT_TO_SERVER =
            new Codec<>(ClientMessage.class, LineReader.DEFAULT_MAX_LINE_BYTES, Protocol.MAX_REF_LENGTH,
                    StreamingDecoder.CLIENT);

    /** Server-to-client messages: what a client decodes, what a server encodes. */
    public static final Codec<ServerMessage> SERVER_TO_CLIENT =
            new Codec<>(ServerMessage.class, Protocol.MAX_SERVER_LINE_BYTES, Integer.MAX_VALUE,
                    StreamingDecoder.SERVER);

    private final Class<M> messageType;
    private final int defaultMaxLineBytes;
    private final int maxRefLength;
    private final StreamingDecoder<M> streaming;
    private final ObjectReader reader;
    private final Map<String, Class<?>> typesByName;

    private Codec(Class<M> messageType, int defaultMaxLineBytes, int maxRefLength, StreamingDecoder<M> streaming) {
        this.messageType = messageType;
        this.defaultMaxLineBytes = defaultMaxLineBytes;
        this.maxRefLength = maxRefLength;
        this.streaming = streaming;
        this.reader = Json.MAPPER.readerFor(messageType);
        Map<String, Class<?>> names = new LinkedHashMap<>();
        for (Class<?> permitted : messageType.getPermittedSubclasses()) {
            names.put(TypeNames.of(permitted), permitted);
        }
        this.typesByName = Collections.unmodifiableMap(names);
    }

    /** {@code ClientMessage.class} or {@code ServerMessage.class}. */
    public Class<M> messageType() {
        return messageType;
    }

    /** The wire {@code type} names of this direction, in declaration order. */
    public Set<String> typeNames() {
        return typesByName.keySet();
    }

    /**
     * The line limit a reader of this direction uses by default:
     * {@link LineReader#DEFAULT_MAX_LINE_BYTES} for client frames,
     * {@link Protocol#MAX_SERVER_LINE_BYTES} for server frames.
     */
    public int defaultMaxLineBytes() {
        return defaultMaxLineBytes;
    }

    /**
     * The longest {@code ref} this direction accepts, in code points: {@link Protocol#MAX_REF_LENGTH}
     * for client messages, {@link Integer#MAX_VALUE} (no bound) for server messages.
     */
    public int maxRefLength() {
        return maxRefLength;
    }

    /**
     * Decodes one line (without its newline; surrounding whitespace is allowed, and so is a UTF-8
     * byte order mark as its first bytes).
     */
    public Decoded<M> decode(byte[] line) {
        return decode(line, 0, line.length);
    }

    /** Decodes one line given as text; convenient in tests and tools. */
    public Decoded<M> decode(String line) {
        return decode(line.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes {@code bytes[offset, offset + length)} as one line.
     *
     * @throws IndexOutOfBoundsException if the range is outside the array (a caller bug, not bad input)
     */
    public Decoded<M> decode(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (!Utf8.isAsciiWithoutNul(bytes, offset, length)) {
            int invalid = Utf8.firstInvalid(bytes, offset, length);
            if (invalid >= 0) {
                return bad(ErrorCode.BAD_ENCODING, Utf8.describeInvalid(bytes, offset, length, invalid));
            }
            // Valid UTF-8, but JSON allows no raw NUL, and Jackson would take NULs as a sign of UTF-16/32.
            int nul = Utf8.indexOfNul(bytes, offset, length);
            if (nul >= 0) {
                String hint = Utf8.looksLikeUtf16(bytes, offset, length)
                        ? " (this looks like UTF-16 or UTF-32; the protocol is UTF-8)"
                        : " (write U+0000 in a string as \\u0000)";
                return bad(ErrorCode.BAD_JSON, "invalid JSON at column "
                        + JsonSyntax.column(bytes, offset, length, nul - offset) + ": raw NUL byte" + hint);
            }
        }
        Decoded<M> decided = streaming.decode(bytes, offset, length);
        if (decided == null) {
            decided = bind(bytes, offset, length);
        }
        if (decided instanceof Decoded.Ok<M>(ClientMessage request) && request.ref() != null) {
            String problem = DecodeFailure.refProblem(request.ref(), maxRefLength);
            if (problem != null) {
                return bad(ErrorCode.BAD_REQUEST, problem);
            }
        }
        return decided; // a Bad from the streaming path is malformed JSON, said as the mapper's path would
    }

    /** The mapper's verdict on a line the streaming path left to it, explained if it is a rejection. */
    private Decoded<M> bind(byte[] bytes, int offset, int length) {
        JacksonException failure = null;
        try {
            M message = reader.readValue(bytes, offset, length);
            if (message != null) { // a JSON null binds to null: explained below as not an object
                return new Decoded.Ok<>(message);
            }
        } catch (JacksonException e) {
            failure = e;
        }
        return new Decoded.Bad<>(DecodeFailure.explain(typesByName, maxRefLength, bytes, offset, length, failure));
    }

    /** Encodes {@code message} as one line: UTF-8 JSON without raw newlines, then {@code \n}. */
    public Frame encode(M message) {
        Objects.requireNonNull(message, "message");
        var sink = new LineSink();
        try (JsonGenerator generator = Json.STREAMING_FACTORY.createGenerator(ObjectWriteContext.empty(), sink)) {
            StreamingEncoder.write(generator, message);
        }
        return new Frame(sink.finishLine());
    }

    private Decoded<M> bad(ErrorCode code, String message) {
        return new Decoded.Bad<>(new ProtocolError(code, message, null));
    }
}
