package dev.loomchat.protocol;

import tools.jackson.databind.JsonNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * Finds the first field of a JSON object that does not fit a message record: a missing
 * {@link Required} field, or a value of the wrong JSON type, named by its path
 * ({@code limits.msgRate}, {@code rooms[2].members}). Used only after Jackson has rejected a
 * line, to say precisely why in terms of the wire format rather than Jackson's Java-centric
 * messages. Its type rules match the mapper's (no coercion), see {@link Json#MAPPER}.
 */
final class FieldCheck {

    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return type.getRecordComponents();
        }
    };

    private FieldCheck() {
    }

    /** The first problem of {@code object} as a {@code recordType}, or {@code null} if none is found. */
    static String firstProblem(Class<?> recordType, JsonNode object) {
        return checkRecord(recordType, object, "");
    }

    private static String checkRecord(Class<?> recordType, JsonNode object, String prefix) {
        for (RecordComponent component : COMPONENTS.get(recordType)) {
            String path = prefix + component.getName();
            JsonNode value = object.get(component.getName());
            if (value == null || value.isNull()) {
                if (component.isAnnotationPresent(Required.class)) {
                    return "missing field \"" + path + "\"";
                }
                continue;
            }
            String problem = checkValue(component.getGenericType(), value, path);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String checkValue(Type type, JsonNode value, String path) {
        Class<?> raw = rawClass(type);
        if (raw == String.class || raw.isEnum()) {
            return value.isString() ? null : mustBe(path, "a string");
        }
        if (raw == int.class || raw == Integer.class) {
            return value.isIntegralNumber() && value.canConvertToInt() ? null : mustBe(path, "a 32-bit integer");
        }
        if (raw == long.class || raw == Long.class) {
            return value.isIntegralNumber() && value.canConvertToLong() ? null : mustBe(path, "a 64-bit integer");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return value.isBoolean() ? null : mustBe(path, "true or false");
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!value.isArray()) {
                return mustBe(path, "an array");
            }
            Type element = typeArgument(type, 0);
            for (int i = 0; i < value.size(); i++) {
                String problem = checkElement(element, value.get(i), path + "[" + i + "]");
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!value.isObject()) {
                return mustBe(path, "an object");
            }
            Type element = typeArgument(type, 1);
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                String name = ErrorText.clip(entry.getKey(), ErrorText.DEFAULT_MAX_CODE_POINTS);
                String problem = checkElement(element, entry.getValue(), path + "." + name);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (raw.isRecord()) {
            return value.isObject() ? checkRecord(raw, value, path + ".") : mustBe(path, "an object");
        }
        return null;
    }

    private static String checkElement(Type type, JsonNode element, String path) {
        if (element.isNull()) {
            return mustBe(path, describe(rawClass(type)));
        }
        return checkValue(type, element, path);
    }

    private static String describe(Class<?> raw) {
        if (raw == String.class || raw.isEnum()) {
            return "a string";
        }
        if (raw == Integer.class || raw == Long.class) {
            return "an integer";
        }
        if (raw == Boolean.class) {
            return "true or false";
        }
        return "an object";
    }

    private static String mustBe(String path, String what) {
        return "field \"" + path + "\" must be " + what;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
