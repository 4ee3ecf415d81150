package dev.loomchat.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.loomchat.protocol.TestStreams.concat;
import static dev.loomchat.protocol.TestStreams.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineReaderTest {

    /** Reads to the end and describes each result: the text, "TOO_LONG(limit)", "TRUNCATED(n)", "END". */
    static List<String> readAll(LineReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Line line = reader.read();
            out.add(describe(line));
            if (line instanceof Line.End) {
                return out;
            }
        }
        throw new AssertionError("no end after 10000 reads: " + out.subList(0, 20));
    }

    static String describe(Line line) {
        return switch (line) {
            case Line.Text text -> new String(text.bytes(), StandardCharsets.UTF_8);
            case Line.TooLong tooLong -> "TOO_LONG(" + tooLong.limit() + ")";
            case Line.Truncated truncated -> "TRUNCATED(" + truncated.bytes() + ")";
            case Line.End end -> "END";
        };
    }

    private static List<String> read(String data, int maxLineBytes) throws IOException {
        return readAll(new LineReader(new ByteArrayInputStream(utf8(data)), maxLineBytes));
    }

    @Test
    void splitsOnNewline() throws IOException {
        assertEquals(List.of("a", "bc", "END"), read("a\nbc\n", 100));
    }

    @Test
    void acceptsCrLfAndKeepsInnerCarriageReturns() throws IOException {
        assertEquals(List.of("a", "b\rc", "END"), read("a\r\nb\rc\r\n", 100));
    }

    @Test
    void skipsBlankLines() throws IOException {
        assertEquals(List.of(" x ", "END"), read("\n\n  \t\r\n x \n\r\n\t\n", 100));
    }

    @Test
    void emptyStreamIsEndAndStaysEnd() throws IOException {
        var reader = new LineReader(new ByteArrayInputStream(new byte[0]));
        assertInstanceOf(Line.End.class, reader.read());
        assertInstanceOf(Line.End.class, reader.read());
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() throws IOException {
        assertEquals(List.of("12345678", "END"), read("12345678\n", 8));
        // The \r of \r\n counts toward the limit; the \n does not.
        assertEquals(List.of("1234567", "END"), read("1234567\r\n", 8));
        assertEquals(List.of("TOO_LONG(8)", "END"), read("12345678\r\n", 8));
    }

    @Test
    void overLongLineIsReportedOnceAndTheNextLineReadsNormally() throws IOException {
        assertEquals(List.of("ok", "TOO_LONG(8)", "next", "TOO_LONG(8)", "last", "END"),
                read("ok\n123456789\nnext\n" + "x".repeat(1000) + "\nlast\n", 8));
    }

    @Test
    void limitOfOneByte() throws IOException {
        assertEquals(List.of("a", "TOO_LONG(1)", "b", "END"), read("a\nbb\nb\n", 1));
    }

    @Test
    void overLongLineIsReportedAsSoonAsTheLimitIsPassed() throws IOException {
        // Only limit + 1 bytes are available; reading beyond them would fail the test.
        var reader = new LineReader(TestStreams.thenFail(utf8("x".repeat(101))), 100);
        assertEquals("TOO_LONG(100)", describe(reader.read()));
    }

    @Test
    void hugeLineIsSkippedWithoutBufferingIt() throws IOException {
        // 50 MB of 'x' without a newline, produced on demand, then a good line.
        InputStream in = TestStreams.generated(50_000_000L, (byte) 'x', utf8("\nok\n"));
        var reader = new LineReader(in, 1024);
        assertEquals(List.of("TOO_LONG(1024)", "ok", "END"), readAll(reader));
        assertTrue(reader.largestBufferCapacity() <= 1025, "held " + reader.largestBufferCapacity());
    }

    @Test
    void bufferNeverExceedsTheLimitPlusOne() throws IOException {
        var data = new StringBuilder();
        for (int len = 0; len < 3000; len += 7) {
            data.append("y".repeat(len)).append('\n');
        }
        var reader = new LineReader(new ByteArrayInputStream(utf8(data.toString())), 1000);
        List<String> lines = readAll(reader);
        assertEquals(1000 / 7, lines.stream().filter(l -> l.startsWith("y")).count());
        assertTrue(lines.contains("TOO_LONG(1000)"));
        assertEquals(1001, reader.largestBufferCapacity());
    }

    @Test
    void bufferShrinksBackAfterALongLine() throws IOException {
        byte[] longLine = concat(utf8("z".repeat(40_000)), utf8("\n"));
        List<byte[]> chunks = new ArrayList<>(TestStreams.split(longLine, 8192));
        chunks.add(utf8("short\n"));
        var reader = new LineReader(TestStreams.chunks(chunks));
        assertEquals(40_000, ((Line.Text) reader.read()).bytes().length);
        assertEquals("short", describe(reader.read()));
        assertTrue(reader.largestBufferCapacity() >= 40_001);
        assertEquals(LineReader.INITIAL_BUFFER_BYTES, reader.bufferCapacity());
    }

    @Test
    void anIdleReaderHoldsOnlyTheSmallRestingBuffer() throws IOException {
        var reader = new LineReader(new ByteArrayInputStream(utf8("{\"type\":\"hello\",\"nick\":\"a\"}\n")));
        assertEquals("{\"type\":\"hello\",\"nick\":\"a\"}", describe(reader.read()));
        assertEquals(512, reader.bufferCapacity(), "what each idle connection keeps");
    }

    @Test
    void aBufferGrownForMidSizeLinesIsKeptNotReallocatedPerLine() throws IOException {
        var data = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            data.append("m".repeat(2000)).append('\n');
        }
        var reader = new LineReader(new ByteArrayInputStream(utf8(data.toString())));
        for (int i = 0; i < 100; i++) {
            assertEquals(2000, ((Line.Text) reader.read()).bytes().length);
        }
        assertEquals(2048, reader.bufferCapacity(), "grown to fit a 2,000-byte line and its newline, then kept");
        assertEquals(2048, reader.largestBufferCapacity());
    }

    @Test
    void anOverLongLineIsDiscardedInLargeChunks() throws IOException {
        // 10 MB without a newline under the default 64 KiB limit: dropped with the grown buffer,
        // not in 512-byte reads (which would be about 20,000 reads).
        int[] reads = {0};
        InputStream generated = TestStreams.generated(10_000_000L, (byte) 'x', utf8("\nok\n"));
        InputStream counting = new java.io.FilterInputStream(generated) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                reads[0]++;
                return super.read(b, off, len);
            }
        };
        var reader = new LineReader(counting);
        assertEquals(List.of("TOO_LONG(65536)", "ok", "END"), readAll(reader));
        assertTrue(reads[0] < 400, "reads: " + reads[0]);
        assertEquals(512, reader.bufferCapacity(), "back to the resting size after the long line");
    }

    @Test
    void hasBufferedLineSaysWhetherTheNextReadCanReturnWithoutTheStream() throws IOException {
        // One chunk with two lines, blank lines, then half a line; the stream then fails if read.
        var reader = new LineReader(TestStreams.thenFail(utf8("one\ntwo\n \r\n\nhal")));
        assertFalse(reader.hasBufferedLine(), "nothing read yet");
        assertEquals("one", describe(reader.read()));
        assertTrue(reader.hasBufferedLine(), "two is buffered");
        assertEquals("two", describe(reader.read()));
        assertFalse(reader.hasBufferedLine(), "only blank lines and half a line are left");
    }

    @Test
    void theTailOfADiscardedLineIsNotABufferedLine() throws IOException {
        var reader = new LineReader(TestStreams.chunks(List.of(utf8("x".repeat(20)), utf8("xx\nok\n"))), 10);
        assertEquals("TOO_LONG(10)", describe(reader.read()));
        assertEquals("ok", describe(reader.read()));
        assertFalse(reader.hasBufferedLine());
    }

    @Test
    void endOfStreamInTheMiddleOfALineIsReported() throws IOException {
        assertEquals(List.of("a", "TRUNCATED(2)", "END"), read("a\nbc", 100));
        var reader = new LineReader(new ByteArrayInputStream(utf8("{\"type\"")));
        assertEquals("TRUNCATED(7)", describe(reader.read()));
        assertEquals("END", describe(reader.read()));
        assertEquals("END", describe(reader.read()));
    }

    @Test
    void blankRestAtEndOfStreamIsJustTheEnd() throws IOException {
        assertEquals(List.of("a", "END"), read("a\n \t\r", 100));
    }

    @Test
    void endOfStreamInsideAnOverLongLineIsOnlyReportedOnce() throws IOException {
        assertEquals(List.of("TOO_LONG(4)", "END"), read("123456789", 4));
    }

    @Test
    void oneByteReadsGiveTheSameLines() throws IOException {
        String data = "first\r\n\n" + "x".repeat(50) + "\nsecond\nthird\nfourth";
        var bulk = readAll(new LineReader(new ByteArrayInputStream(utf8(data)), 20));
        var trickle = readAll(new LineReader(TestStreams.oneByteAtATime(utf8(data)), 20));
        assertEquals(List.of("first", "TOO_LONG(20)", "second", "third", "TRUNCATED(6)", "END"), bulk);
        assertEquals(bulk, trickle);
    }

    @Test
    void streamExceptionPropagatesAndReadingCanGoOn() throws IOException {
        // A socket read timeout in the middle of a line, as an idle check would cause.
        InputStream in = TestStreams.scripted(utf8("hel"), null, utf8("lo\nworld\n"));
        var reader = new LineReader(in);
        assertThrows(SocketTimeoutException.class, reader::read);
        assertEquals(List.of("hello", "world", "END"), readAll(reader));
    }

    @Test
    void releasesAnEmptyBufferAndReadsOnWithAFreshOne() throws IOException {
        // A server parking a quiet connection: the buffer goes while nothing is pending.
        var reader = new LineReader(new ByteArrayInputStream(utf8("one\ntwo\nthree\n")), 100);
        assertEquals("one", describe(reader.read()));
        assertTrue(reader.bufferCapacity() > 0);

        reader.releaseBuffer(); // "two" and "three" are pending: kept

        assertTrue(reader.hasBufferedLine());
        assertEquals("two", describe(reader.read()));
        assertEquals("three", describe(reader.read()));
        reader.releaseBuffer(); // nothing pending: released
        assertEquals(0, reader.bufferCapacity());
        assertFalse(reader.hasBufferedLine());
        assertEquals(List.of("END"), readAll(reader));
    }

    @Test
    void aReleasedBufferComesBackForThePartOfALineThatFollows() throws IOException {
        InputStream in = TestStreams.scripted(utf8("a\n"), null, utf8("b"), null, utf8("c\n"));
        var reader = new LineReader(in, 100);
        assertEquals("a", describe(reader.read()));
        assertThrows(SocketTimeoutException.class, reader::read);
        reader.releaseBuffer();
        assertEquals(0, reader.bufferCapacity());
        assertThrows(SocketTimeoutException.class, reader::read); // "b" read, then quiet again
        reader.releaseBuffer(); // "b" is pending: kept
        assertTrue(reader.bufferCapacity() > 0);
        assertEquals(List.of("bc", "END"), readAll(reader));
    }

    @Test
    void rejectsANonPositiveLimit() {
        var in = new ByteArrayInputStream(new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> new LineReader(in, 0));
        assertThrows(IllegalArgumentException.class, () -> new LineReader(in, -5));
        assertThrows(NullPointerException.class, () -> new LineReader(null));
    }
}
