package dev.loomchat.protocol;

import java.util.Objects;

/**
 * The result of reading one frame: a message, a problem with one line (after which the stream
 * is still in sync and reading can go on), or the end of the stream. Callers switch on it:
 *
 * <pre>{@code
 * switch (reader.read()) {
 *     case Decoded.Ok<ClientMessage>(ClientMessage m) -> handle(m);
 *     case Decoded.Bad<ClientMessage>(ProtocolError e) -> reply(e.toMessage());
 *     case Decoded.End<ClientMessage>() -> close();
 * }
 * }</pre>
 *
 * @param <M> {@link ClientMessage} or {@link ServerMessage}
 */
public sealed interface Decoded<M extends Message> {

    /** A well-formed message. */
    record Ok<M extends Message>(M message) implements Decoded<M> {
        public Ok {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A line that could not be decoded; the next read continues with the next line. */
    record Bad<M extends Message>(ProtocolError error) implements Decoded<M> {
        public Bad {
            Objects.requireNonNull(error, "error");
        }
    }

    /** The stream ended at a line boundary (or after a reported {@code eof_mid_line}); every later read returns this too. */
    record End<M extends Message>() implements Decoded<M> {
    }
}
