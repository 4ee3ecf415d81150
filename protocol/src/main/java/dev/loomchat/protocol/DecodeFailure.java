package dev.loomchat.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.ValueInstantiationException;

import java.util.Map;

/**
 * Turns a line the mapper rejected into a {@link ProtocolError}. This is the slow path, taken only
 * for bad input: the line is parsed again as a tree, which tells malformed JSON from a non-object,
 * recovers the {@code ref}, and lets {@link FieldCheck} name the offending field. Every message is
 * written for a client author (see {@link JsonSyntax}); none passes on Jackson's text, and client
 * strings in it are clipped and escaped by {@link ErrorText}.
 */
final class DecodeFailure {

    private static final int MAX_DETAIL = 200;

    /** Reads one value and leaves what follows to {@link #explain}, which says "trailing data" itself. */
    private static final ObjectReader TREE =
            Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DecodeFailure() {
    }

    /**
     * @param maxRefLength the longest ref this direction accepts, in code points; a direction
     *                     that bounds it ({@link Integer#MAX_VALUE} if not) also checks the ref
     *                     before anything else, since every one of its messages has one
     * @param failure      what the mapper threw, or {@code null} if it returned no message (a
     *                     JSON {@code null})
     */
    static ProtocolError explain(Map<String, Class<?>> typesByName, int maxRefLength, byte[] bytes, int offset,
                                 int length, JacksonException failure) {
        JsonNode root;
        try (JsonParser parser = Json.MAPPER.createParser(bytes, offset, length)) {
            if (parser.nextToken() == null) {
                return bad(ErrorCode.BAD_JSON, "empty line");
            }
            root = TREE.readTree(parser);
            if (parser.nextToken() != null) {
                return bad(ErrorCode.BAD_JSON, JsonSyntax.trailing(parser.currentTokenLocation(), bytes, offset, length,
                        root != null && root.isObject()));
            }
        } catch (JacksonException e) {
            return bad(ErrorCode.BAD_JSON, JsonSyntax.describe(e, bytes, offset, length));
        }
        if (root == null || !root.isObject()) { // a null root is the JSON literal null
            return bad(ErrorCode.NOT_OBJECT, "expected a JSON object, got " + (root == null ? "null" : describe(root)));
        }
        JsonNode refNode = root.get("ref");
        if (maxRefLength != Integer.MAX_VALUE && refNode != null && !refNode.isNull()) {
            String problem = refNode.isString() ? refProblem(refNode.stringValue(), maxRefLength)
                    : "field \"ref\" must be a string";
            if (problem != null) {
                return bad(ErrorCode.BAD_REQUEST, problem);
            }
        }
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
            return new ProtocolError(ErrorCode.UNKNOWN_TYPE, "unknown message type " + ErrorText.quote(type), ref);
        }
        String problem = FieldCheck.firstProblem(recordType, root);
        if (problem != null) {
            return new ProtocolError(ErrorCode.BAD_REQUEST, problem, ref);
        }
        // Every field has the right JSON type: a record invariant (e.g. "room or to") failed. Its
        // message is this module's own text.
        if (failure instanceof ValueInstantiationException && failure.getCause() instanceof IllegalArgumentException
                && failure.getCause().getMessage() != null) {
            return new ProtocolError(ErrorCode.BAD_REQUEST,
                    "invalid \"" + type + "\": " + ErrorText.clip(failure.getCause().getMessage(), MAX_DETAIL), ref);
        }
        return new ProtocolError(ErrorCode.BAD_REQUEST, "invalid \"" + type + "\" message", ref);
    }

    /**
     * Why {@code ref} is not acceptable, or {@code null} if it is: longer than {@code maxRefLength}
     * code points. Such an error carries no ref: the request's ref is what is wrong.
     */
    static String refProblem(String ref, int maxRefLength) {
        if (ref.length() > maxRefLength && ref.codePointCount(0, ref.length()) > maxRefLength) {
            return "field \"ref\" is longer than " + maxRefLength + " characters";
        }
        return null;
    }

    private static ProtocolError bad(ErrorCode code, String message) {
        return new ProtocolError(code, message, null);
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
}
