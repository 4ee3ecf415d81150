package dev.loomchat.protocol;

import java.util.Objects;

/**
 * Why a line could not be decoded into a message: a stable {@link ErrorCode}, a human-readable
 * message (which names the offending field where there is one), and the request's {@code ref}
 * if it could be recovered from the JSON ({@code null} otherwise).
 *
 * <p>A server turns it into an {@code error} frame with {@link #toMessage()}; a client usually
 * logs it and ignores the line.
 */
public record ProtocolError(ErrorCode code, String message, String ref) {

    public ProtocolError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The {@code error} frame that reports this to the peer. */
    public ServerMessage.Error toMessage() {
        return new ServerMessage.Error(code, message, ref);
    }
}
