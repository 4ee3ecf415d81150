package dev.loomchat.socketserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LineInputStream#readline()}, Python's {@code rfile.readline()}: lines keep their
 * {@code '\n'}, the tail at EOF comes without one, EOF is an empty array, and framing does not
 * depend on how the bytes were split into reads (the "sticky packet" problem, made deterministic
 * here with a source that hands out fixed-size chunks).
 */
class LineInputStreamTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A source that returns at most {@code chunk} bytes per read, like TCP segments. */
    private static InputStream chunked(String data, int chunk) {
        return new ByteArrayInputStream(bytes(data)) {
            @Override
            public int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static List<String> allLines(LineInputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (byte[] line = in.readline(); line.length > 0; line = in.readline()) {
            lines.add(text(line));
        }
        return lines;
    }

    @Test
    void linesKeepTheirNewlineAndEofIsEmpty() throws IOException {
        LineInputStream in = new LineInputStream(new ByteArrayInputStream(bytes("one\ntwo\n")), 8192);
        assertEquals("one\n", text(in.readline()));
        assertEquals("two\n", text(in.readline()));
        assertArrayEquals(new byte[0], in.readline());
        assertArrayEquals(new byte[0], in.readline(), "EOF stays EOF");
    }

    @Test
    void theTailAtEofComesWithoutANewline() throws IOException {
        LineInputStream in = new LineInputStream(new ByteArrayInputStream(bytes("one\npartial")), 8192);
        assertEquals("one\n", text(in.readline()));
        assertEquals("partial", text(in.readline()));
        assertArrayEquals(new byte[0], in.readline());
    }

    @Test
    void emptyLinesAreJustANewline() throws IOException {
        LineInputStream in = new LineInputStream(new ByteArrayInputStream(bytes("\n\nx\n")), 8192);
        assertEquals(List.of("\n", "\n", "x\n"), allLines(in));
    }

    @Test
    void crlfIsKeptAsIs() throws IOException {
        LineInputStream in = new LineInputStream(new ByteArrayInputStream(bytes("a\r\nb\r\n")), 8192);
        assertEquals(List.of("a\r\n", "b\r\n"), allLines(in));
    }

    @ParameterizedTest(name = "source chunks of {0} byte(s), buffer of {1}")
    @ValueSource(ints = {1, 2, 3, 5, 7, 64})
    void framingDoesNotDependOnHowTheBytesAreSplit(int chunk) throws IOException {
        String data = "first\nsecond line\n\nthird, longer than some buffers\nlast";
        List<String> expected = List.of("first\n", "second line\n", "\n", "third, longer than some buffers\n", "last");
        for (int bufferSize : new int[] {1, 4, 16, 8192}) {
            assertEquals(expected, allLines(new LineInputStream(chunked(data, chunk), bufferSize)),
                    "chunk " + chunk + ", buffer " + bufferSize);
        }
    }

    @Test
    void aLimitStopsMidLineAndTheRestFollows() throws IOException {
        LineInputStream in = new LineInputStream(new ByteArrayInputStream(bytes("abcdefgh\nij\n")), 8192);
        assertEquals("abc", text(in.readline(3)));
        assertEquals("defgh\n", text(in.readline(100)));
        assertEquals("ij\n", text(in.readline(3)), "a limit equal to the line length");
        assertArrayEquals(new byte[0], in.readline(3));
    }

    @Test
    void aLimitLongerThanTheBufferIsHonoured() throws IOException {
        LineInputStream in = new LineInputStream(chunked("0123456789abcdef\n", 3), 4);
        assertEquals("0123456789", text(in.readline(10)));
        assertEquals("abcdef\n", text(in.readline()));
    }

    @Test
    void aLimitOfZeroReadsNothing() throws IOException {
        LineInputStream in = new LineInputStream(new ByteArrayInputStream(bytes("abc\n")), 8192);
        assertArrayEquals(new byte[0], in.readline(0));
        assertEquals("abc\n", text(in.readline()));
    }

    @Test
    void readAndReadlineShareTheBuffer() throws IOException {
        LineInputStream in = new LineInputStream(new ByteArrayInputStream(bytes("ab\ncdef\ngh")), 8192);
        assertEquals('a', in.read());
        assertEquals("b\n", text(in.readline()));
        byte[] two = new byte[2];
        assertEquals(2, in.read(two, 0, 2));
        assertEquals("cd", text(two));
        assertEquals("ef\n", text(in.readline()));
        assertEquals("gh", text(in.readAllBytes()));
        assertEquals(-1, in.read());
    }

    @Test
    void largeReadsBypassAnEmptyBuffer() throws IOException {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        LineInputStream in = new LineInputStream(new ByteArrayInputStream(data), 16);
        assertArrayEquals(data, in.readAllBytes());
    }

    @Test
    void availableCountsBufferedBytes() throws IOException {
        LineInputStream in = new LineInputStream(chunked("ab\ncd\n", 6), 8192);
        in.readline();
        assertTrue(in.available() >= 3, "the rest of the chunk is buffered");
    }

    @Test
    void closeMarksTheStreamClosedButLeavesTheSourceOpen() throws IOException {
        boolean[] sourceClosed = {false};
        InputStream source = new ByteArrayInputStream(bytes("x\n")) {
            @Override
            public void close() {
                sourceClosed[0] = true;
            }
        };
        LineInputStream in = new LineInputStream(source, 8192);
        in.close();
        assertTrue(in.isClosed());
        assertEquals(false, sourceClosed[0], "the connection is the server's to close");
        assertThrows(IOException.class, in::readline);
        assertThrows(IOException.class, in::read);
    }

    @Test
    void aBufferSizeBelowOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LineInputStream(InputStream.nullInputStream(), 0));
    }

    @Test
    void utf8SplitAcrossChunksIsReassembled() throws IOException {
        String data = "héllo wörld ✓\nñ\n";
        LineInputStream in = new LineInputStream(chunked(data, 1), 2);
        assertEquals(List.of("héllo wörld ✓\n", "ñ\n"), allLines(in));
    }
}
