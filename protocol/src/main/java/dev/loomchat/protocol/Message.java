package dev.loomchat.protocol;

/**
 * Any protocol message: a {@link ClientMessage} (sent by clients) or a {@link ServerMessage}
 * (sent by servers). Both directions are separate sealed hierarchies because some wire types
 * ({@code ping}, {@code pong}, {@code nick}, {@code who}, ...) exist in both with different
 * fields. Every message is an immutable record; its wire {@code "type"} is {@link #type()}, the record's
 * {@code @JsonTypeName}.
 */
public sealed interface Message permits ClientMessage, ServerMessage {

    /** The wire {@code "type"} of this message, e.g. {@code "say"}. */
    default String type() {
        return TypeNames.of(getClass());
    }
}
