package dev.loomchat.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written checks; ReaderFuzzTest also compares firstInvalid with the JDK decoder. */
class Utf8Test {

    @Test
    void asciiCheckFindsANonAsciiOrNulByteAtEveryPositionAndAlignment() {
        for (int length = 0; length < 40; length++) {
            for (int offset = 0; offset < 9; offset++) {
                byte[] bytes = new byte[offset + length + 3];
                Arrays.fill(bytes, (byte) 'a');
                assertTrue(Utf8.isAsciiWithoutNul(bytes, offset, length));
                for (int at = 0; at < length; at++) {
                    for (byte bad : new byte[]{0, (byte) 0x80, (byte) 0xFF, (byte) 0xC3}) {
                        bytes[offset + at] = bad;
                        assertFalse(Utf8.isAsciiWithoutNul(bytes, offset, length),
                                "length " + length + " offset " + offset + " at " + at + " byte " + bad);
                        bytes[offset + at] = 'a';
                    }
                }
                // Bytes outside the range do not count.
                bytes[offset + length] = 0;
                if (offset > 0) {
                    bytes[offset - 1] = (byte) 0xFF;
                }
                assertTrue(Utf8.isAsciiWithoutNul(bytes, offset, length));
            }
        }
    }

    @Test
    void asciiControlCharactersOtherThanNulAreAscii() {
        byte[] bytes = new byte[127];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i + 1);
        }
        assertTrue(Utf8.isAsciiWithoutNul(bytes, 0, bytes.length));
    }

    @Test
    void firstInvalidPointsAtTheBadSequence() {
        byte[] good = "aé漢😀".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, Utf8.firstInvalid(good, 0, good.length));
        byte[] bad = {'a', 'b', (byte) 0xE2, (byte) 0x82, 'c'};
        assertEquals(2, Utf8.firstInvalid(bad, 0, bad.length));
        assertEquals(-1, Utf8.firstInvalid(bad, 0, 2));
        assertEquals(0, Utf8.firstInvalid(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3));
        assertEquals(-1, Utf8.firstInvalid(new byte[]{(byte) 0xED, (byte) 0x9F, (byte) 0xBF}, 0, 3)); // U+D7FF
        assertEquals(-1, Utf8.firstInvalid(new byte[]{(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, 0, 4));
        assertEquals(0, Utf8.firstInvalid(new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 4));
    }

    @Test
    void lineSinkProducesExactlyTheLine() {
        var sink = new LineSink();
        sink.write('{');
        sink.write("\"a\":1".getBytes(StandardCharsets.UTF_8), 0, 5);
        sink.write(new byte[]{'x', '}', 'y'}, 1, 1);
        byte[] line = sink.finishLine();
        assertEquals("{\"a\":1}\n", new String(line, StandardCharsets.UTF_8));
        assertEquals(8, line.length);
    }
}
