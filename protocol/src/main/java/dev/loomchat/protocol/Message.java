package dev.loomchat.protocol;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Any protocol message: a {@link ClientMessage} (sent by clients) or a {@link ServerMessage}
 * (sent by servers). Both directions are separate sealed hierarchies because some wire types
 * ({@code ping}, {@code pong}, {@code nick}, {@code who}, ...) exist in both with different
 * fields. Every message is an immutable record; its wire {@code "type"} is {@link #type()}.
 */
public sealed interface Message permits ClientMessage, ServerMessage {

    /** The wire {@code "type"} of this message, e.g. {@code "say"}. */
    default String type() {
        return TypeNames.of(getClass());
    }

    /** Caches each record's {@link JsonTypeName} so {@link #type()} costs a map lookup. */
    final class TypeNames {
        private static final ClassValue<String> NAMES = new ClassValue<>() {
            @Override
            protected String computeValue(Class<?> type) {
                JsonTypeName name = type.getAnnotation(JsonTypeName.class);
                if (name == null) {
                    throw new IllegalStateException(type + " has no @JsonTypeName");
                }
                return name.value();
            }
        };

        private TypeNames() {
        }

        static String of(Class<?> type) {
            return NAMES.get(type);
        }
    }
}
