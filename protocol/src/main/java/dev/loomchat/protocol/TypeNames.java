package dev.loomchat.protocol;

import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.LinkedHashSet;
import java.util.Set;

/** The wire {@code "type"} of each message record, read once from its {@link JsonTypeName}. */
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

    /** The wire names of a sealed message interface's records, in declaration order. */
    static Set<String> all(Class<?> sealedType) {
        Set<String> names = new LinkedHashSet<>();
        for (Class<?> permitted : sealedType.getPermittedSubclasses()) {
            names.add(of(permitted));
        }
        return names;
    }
}
