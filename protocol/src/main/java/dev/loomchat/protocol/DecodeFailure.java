package dev.loomchat.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.ValueInstantiationException;

import java.util.Map;

/**
 * Turns a line Jackson rejected into a {@link ProtocolError}. This is the slow path, taken only
 * for bad input: the line is parsed again as a tree, which tells malformed JSON from a non-object,
 * recovers the {@code ref}, and lets {@link FieldCheck} name the offending field.
 */
final class DecodeFailure {

    /** Echoed client strings (a type name, say) are clipped: the error frame must stay small. */
    private static final int MAX_ECHO = 64;
    private static final int MAX_DETAIL = 200;

    private DecodeFailure() {
    }

    /**
     * @param failure what Jackson threw on the fast path, or {@code null} if it returned no
     *                message (a JSON {@code null})
     */
    static ProtocolError explain(Map<String, Class<?>> typesByName, byte[] bytes, int offset, int length,
                                 JacksonException failure) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes, offset, length);
        } catch (JacksonException e) {
            return new ProtocolError(ErrorCode.BAD_JSON, "malformed JSON: " + detail(e), null);
        }
        if (root == null || root.isMissingNode()) {
            return new ProtocolError(ErrorCode.BAD_JSON, "empty line", null);
        }
        if (!root.isObject()) {
            return new ProtocolError(ErrorCode.NOT_OBJECT,
                    "expected a JSON object, got " + describe(root), null);
        }
        JsonNode refNode = root.get("ref");
        String ref = refNode != null && refNode.isString() ? refNode.stringValue() : null;
        JsonNode typeNode = root.get("type");
        if (typeNode == null || typeNode.isNull()) {
            return new ProtocolError(ErrorCode.BAD_REQUEST, "missing field \"type\"", ref);
        }
        if (!typeNode.isString()) {
            return new ProtocolError(ErrorCode.BAD_REQUEST, "field \"type\" must be a string", ref);
        }
        String type = typeNode.stringValue();
        Class<?> recordType = typesByName.get(type);
        if (recordType == null) {
            return new ProtocolError(ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + clip(type) + "\"", ref);
        }
        String problem = FieldCheck.firstProblem(recordType, root);
        if (problem != null) {
            return new ProtocolError(ErrorCode.BAD_REQUEST, problem, ref);
        }
        // Every field has the right JSON type: a record invariant (e.g. "room or to") failed.
        if (failure instanceof ValueInstantiationException && failure.getCause() != null
                && failure.getCause().getMessage() != null) {
            return new ProtocolError(ErrorCode.BAD_REQUEST,
                    "invalid \"" + type + "\": " + clip(failure.getCause().getMessage(), MAX_DETAIL), ref);
        }
        return new ProtocolError(ErrorCode.BAD_REQUEST,
                "invalid \"" + type + "\"" + (failure == null ? "" : ": " + detail(failure)), ref);
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }

    /** Jackson's message without its location suffix, which names Java types, clipped. */
    private static String detail(JacksonException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        var location = e.getLocation();
        String where = location != null && location.getByteOffset() >= 0
                ? " (at byte " + location.getByteOffset() + ")" : "";
        return clip(message, MAX_DETAIL) + where;
    }

    private static String clip(String s) {
        return clip(s, MAX_ECHO);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
