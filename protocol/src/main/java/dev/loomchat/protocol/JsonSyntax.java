package dev.loomchat.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what is wrong with a line the JSON parser rejected, in words for a client author:
 * {@code invalid JSON at column 17: unexpected character '}', expected a field name in double
 * quotes}. Jackson's own messages name Java types and parser features, so they are never passed
 * on: they only pick which of these texts applies, and anything not recognised gets the plain
 * {@code invalid JSON at column N}. The line is valid UTF-8 here (the codec checked it first),
 * so columns count code points, from 1.
 */
final class JsonSyntax {

    private static final Pattern CHAR_CODE = Pattern.compile("code (\\d+)");
    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("token '(.*)': was expecting", Pattern.DOTALL);
    private static final Pattern NON_STANDARD_TOKEN = Pattern.compile("token '(.*)': enable", Pattern.DOTALL);
    private static final Pattern CLOSE_MARKER = Pattern.compile("marker '(.)'");
    private static final Pattern QUOTED_NAME = Pattern.compile("\"(.*)\"", Pattern.DOTALL);
    private static final Pattern ESCAPE = Pattern.compile("escape '(.)'", Pattern.DOTALL);

    /** What the parser expected instead, by a phrase of Jackson's message; checked in order. */
    private static final String[][] EXPECTATIONS = {
            {"double-quote to start property name", "expected a field name in double quotes"},
            {"colon to separate property name", "expected ':' after the field name"},
            {"comma to separate Object entries", "expected ',' or '}'"},
            {"comma to separate Array entries", "expected ',' or ']'"},
            {"hex-digit for character escape", "expected 4 hex digits after \\u"},
            {"comment", "comments are not allowed"},
            {"valid value", "expected a value (string, number, object, array, true, false or null)"},
            {"expected digit", "expected a digit"},
            {"Decimal point not followed by a digit", "expected a digit after the decimal point"},
            {"Exponent indicator not followed by a digit", "expected a digit in the exponent"},
    };

    private JsonSyntax() {
    }

    /** The error text for {@code failure}, thrown while parsing {@code bytes[offset, offset + length)}. */
    static String describe(JacksonException failure, byte[] bytes, int offset, int length) {
        String jackson = failure.getOriginalMessage() == null ? "" : failure.getOriginalMessage();
        if (failure instanceof StreamConstraintsException) {
            return "invalid JSON: " + constraint(jackson);
        }
        String at = at(failure.getLocation(), bytes, offset, length);
        if (failure instanceof UnexpectedEndOfInputException) {
            String what = jackson.contains("VALUE_STRING") ? "string" : jackson.contains("Object") ? "object"
                    : jackson.contains("Array") ? "array" : "value";
            return "invalid JSON" + at + ": the line ends before the JSON " + what + " is complete";
        }
        return "invalid JSON" + at + ": " + problem(jackson, failure.getLocation(), bytes, offset, length);
    }

    /** "trailing data" text for a second value after the first. */
    static String trailing(TokenStreamLocation location, byte[] bytes, int offset, int length, boolean afterObject) {
        return "invalid JSON" + at(location, bytes, offset, length) + ": trailing data after the JSON "
                + (afterObject ? "object" : "value");
    }

    /** " at column N", or nothing if the location is unknown. */
    static String at(TokenStreamLocation location, byte[] bytes, int offset, int length) {
        if (location == null || location.getByteOffset() < 0) {
            return "";
        }
        return " at column " + column(bytes, offset, length, location.getByteOffset());
    }

    /** The 1-based code-point column of the byte {@code byteOffset} bytes into the line. */
    static int column(byte[] bytes, int offset, int length, long byteOffset) {
        int end = (int) Math.min(length, Math.max(0, byteOffset));
        int column = 1;
        for (int i = offset, stop = offset + end; i < stop; i++) {
            if ((bytes[i] & 0xC0) != 0x80) { // not a continuation byte: a code point starts here
                column++;
            }
        }
        // Inside a multi-byte character: its column is the one it started at.
        return end < length && (bytes[offset + end] & 0xC0) == 0x80 ? column - 1 : column;
    }

    private static String problem(String jackson, TokenStreamLocation location, byte[] bytes, int offset, int length) {
        if (jackson.startsWith("Duplicate")) {
            Matcher name = QUOTED_NAME.matcher(jackson);
            return name.find() ? "duplicate field " + ErrorText.quote(name.group(1)) : "duplicate field";
        }
        if (jackson.startsWith("Trailing token")) {
            return "trailing data after the JSON value";
        }
        if (jackson.startsWith("Unexpected close marker")) {
            Matcher marker = CLOSE_MARKER.matcher(jackson);
            return "unexpected " + (marker.find() ? "'" + marker.group(1) + "'" : "close marker")
                    + (jackson.contains("expected '}'") ? ", expected '}'"
                    : jackson.contains("expected ']'") ? ", expected ']'" : " with nothing open to close");
        }
        if (jackson.startsWith("Illegal unquoted character")) {
            Matcher code = CHAR_CODE.matcher(jackson);
            String which = code.find() ? " " + codePoint(Integer.parseInt(code.group(1))) : "";
            return "control character" + which + " in a string must be escaped";
        }
        if (jackson.startsWith("Unrecognized character escape")) {
            Matcher escape = ESCAPE.matcher(jackson);
            return escape.find() ? "invalid escape " + ErrorText.quote("\\" + escape.group(1)) + " in a string"
                    : "invalid escape in a string";
        }
        if (jackson.startsWith("Non-standard token")) {
            Matcher token = NON_STANDARD_TOKEN.matcher(jackson);
            return (token.find() ? ErrorText.quote(token.group(1)) + " is" : "NaN and Infinity are")
                    + " not a JSON number";
        }
        if (jackson.startsWith("Unrecognized token")) {
            Matcher token = UNRECOGNIZED_TOKEN.matcher(jackson);
            return "unexpected " + (token.find() ? ErrorText.quote(token.group(1), 32) + ", " : "text, ")
                    + "expected a value (string, number, object, array, true, false or null)";
        }
        if (jackson.startsWith("Invalid numeric value")) {
            return "invalid number" + (jackson.contains("Leading zeroes") ? ": leading zeros are not allowed" : "");
        }
        if (jackson.startsWith("Unexpected character")) {
            String what = (jackson.contains("in numeric value") ? "invalid number: " : "") + "unexpected character "
                    + unexpected(jackson, location, bytes, offset, length);
            for (String[] expectation : EXPECTATIONS) {
                if (jackson.contains(expectation[0])) {
                    return what + ", " + expectation[1];
                }
            }
            return what;
        }
        return "not well-formed JSON";
    }

    private static String constraint(String jackson) {
        if (jackson.contains("nesting depth")) {
            return "nesting deeper than " + Json.MAX_NESTING_DEPTH + " levels";
        }
        if (jackson.startsWith("Number value length")) {
            return "number longer than " + Json.MAX_NUMBER_LENGTH + " characters";
        }
        if (jackson.startsWith("String value length")) {
            return "string too long";
        }
        if (jackson.startsWith("Name length")) {
            return "field name too long";
        }
        return "the line is too large or too complex";
    }

    /** The unexpected character: from Jackson's "(code N)" if there, else the one at the location. */
    private static String unexpected(String jackson, TokenStreamLocation location, byte[] bytes, int offset,
                                     int length) {
        Matcher code = CHAR_CODE.matcher(jackson);
        if (code.find()) {
            return codePoint(Integer.parseInt(code.group(1)));
        }
        if (location != null && location.getByteOffset() >= 0 && location.getByteOffset() < length) {
            String rest = new String(bytes, offset + (int) location.getByteOffset(),
                    length - (int) location.getByteOffset(), java.nio.charset.StandardCharsets.UTF_8);
            if (!rest.isEmpty()) {
                return codePoint(rest.codePointAt(0));
            }
        }
        return "";
    }

    /** {@code '}'} for a visible ASCII character ({@code "'"} for the apostrophe), else {@code U+00E9}. */
    static String codePoint(int c) {
        if (c == '\'') {
            return "\"'\"";
        }
        if (c > 0x20 && c < 0x7F) {
            return "'" + (char) c + "'";
        }
        return String.format("U+%04X", c);
    }
}
