package dev.loomchat.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no UTF-16 surrogates, nothing above
 * U+10FFFF, no truncated sequences. It accepts exactly what the JDK's UTF-8
 * {@link java.nio.charset.CharsetDecoder} with {@code CodingErrorAction.REPORT} accepts (a test
 * checks that on random input), but allocates nothing and needs no per-thread decoder, which
 * matters when every frame of every connection goes through it.
 */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private Utf8() {
    }

    /**
     * True if every byte is ASCII and none is NUL: the common case, checked on every frame, so it
     * looks at 8 bytes per step.
     */
    static boolean isAsciiWithoutNul(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            // A high bit set: a non-ASCII byte. (word - 0x01..) & ~word & 0x80..: some byte is zero.
            if ((word & HIGH_BITS) != 0 || ((word - LOW_BITS) & ~word & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (bytes[i] <= 0) { // negative: not ASCII; zero: NUL
                return false;
            }
        }
        return true;
    }

    /** The index of the first NUL byte, or -1. */
    static int indexOfNul(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the bytes look like UTF-16 (or UTF-32) rather than UTF-8: a UTF-16 byte order mark
     * first, or a NUL in one of the first two bytes (as in every ASCII character of UTF-16).
     */
    static boolean looksLikeUtf16(byte[] bytes, int offset, int length) {
        if (length < 2) {
            return false;
        }
        int b0 = bytes[offset] & 0xFF;
        int b1 = bytes[offset + 1] & 0xFF;
        return (b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF) || b0 == 0 || b1 == 0;
    }

    /** The {@code bad_encoding} text for the invalid sequence starting at index {@code invalid}. */
    static String describeInvalid(byte[] bytes, int offset, int length, int invalid) {
        String where = "invalid UTF-8 at byte offset " + (invalid - offset)
                + String.format(" (0x%02X)", bytes[invalid] & 0xFF);
        return looksLikeUtf16(bytes, offset, length)
                ? where + ": this looks like UTF-16 or UTF-32; the protocol is UTF-8" : where;
    }

    /** The index of the first byte that starts an invalid sequence, or -1 if all is valid UTF-8. */
    static int firstInvalid(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                i++;
            } else if (b0 < 0xC2) { // a continuation byte, or C0/C1 (always overlong)
                return i;
            } else if (b0 < 0xE0) {
                if (i + 1 >= end || !isContinuation(bytes[i + 1])) {
                    return i;
                }
                i += 2;
            } else if (b0 < 0xF0) {
                if (i + 2 >= end) {
                    return i;
                }
                int b1 = bytes[i + 1] & 0xFF;
                if ((b0 == 0xE0 && b1 < 0xA0) // overlong
                        || (b0 == 0xED && b1 >= 0xA0) // surrogates U+D800..U+DFFF
                        || !isContinuation(bytes[i + 1]) || !isContinuation(bytes[i + 2])) {
                    return i;
                }
                i += 3;
            } else if (b0 < 0xF5) {
                if (i + 3 >= end) {
                    return i;
                }
                int b1 = bytes[i + 1] & 0xFF;
                if ((b0 == 0xF0 && b1 < 0x90) // overlong
                        || (b0 == 0xF4 && b1 >= 0x90) // above U+10FFFF
                        || !isContinuation(bytes[i + 1]) || !isContinuation(bytes[i + 2])
                        || !isContinuation(bytes[i + 3])) {
                    return i;
                }
                i += 4;
            } else {
                return i;
            }
        }
        return -1;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
