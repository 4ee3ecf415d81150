package dev.loomchat.server.door.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loomchat.server.door.irc.IrcLineReader.Line;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Line framing and decoding of what IRC clients send. */
class IrcLineReaderTest {

    private static IrcLineReader reader(byte[] bytes) {
        return new IrcLineReader(new ByteArrayInputStream(bytes));
    }

    private static String text(Line line) {
        return assertInstanceOf(Line.Text.class, line).text();
    }

    @Test
    void crlfAndBareLfEndLinesAndAnUnfinishedLastLineIsDropped() throws Exception {
        IrcLineReader reader = reader("NICK a\r\nUSER b 0 * :c\n\r\nPING x".getBytes(StandardCharsets.US_ASCII));
        assertEquals("NICK a", text(reader.read()));
        assertEquals("USER b 0 * :c", text(reader.read()));
        assertEquals("", text(reader.read()));
        assertInstanceOf(Line.End.class, reader.read());
    }

    @Test
    void overLongLinesAreSkippedWholeAndReadingGoesOn() throws Exception {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(("PRIVMSG #a :" + "x".repeat(498) + "\r\n").getBytes(StandardCharsets.US_ASCII)); // 510 + CRLF
        input.writeBytes(("PRIVMSG #a :" + "x".repeat(499) + "\r\n").getBytes(StandardCharsets.US_ASCII)); // 511 + CRLF
        input.writeBytes("y".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
        input.writeBytes("\nPING ok\r\n".getBytes(StandardCharsets.US_ASCII));
        input.writeBytes(("@" + "a".repeat(8189) + " PING tags\r\n").getBytes(StandardCharsets.US_ASCII));
        input.writeBytes(("@" + "a".repeat(8190) + " PING tags\r\n").getBytes(StandardCharsets.US_ASCII));
        IrcLineReader reader = reader(input.toByteArray());

        assertEquals(510, text(reader.read()).length());
        assertInstanceOf(Line.TooLong.class, reader.read());
        assertInstanceOf(Line.TooLong.class, reader.read());
        assertEquals("PING ok", text(reader.read()));
        assertEquals("PING tags", text(reader.read()).substring(8191));
        assertInstanceOf(Line.TooLong.class, reader.read(), "8192 bytes of tags are too many");
        assertInstanceOf(Line.End.class, reader.read());
    }

    @Test
    void aQuietPauseInsideAnOverLongLineStillSkipsAllOfItAndTheBufferComesBack() throws Exception {
        // A parked connection: reads may time out anywhere, and the buffer is let go while empty.
        byte[][] script = {"PING a\r\n".getBytes(StandardCharsets.US_ASCII), null,
            "z".repeat(9000).getBytes(StandardCharsets.US_ASCII), null,
            "z".repeat(100).getBytes(StandardCharsets.US_ASCII), "\nPING b\r\n".getBytes(StandardCharsets.US_ASCII)};
        InputStream in = new InputStream() {
            private int step;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (step >= script.length) {
                    return -1;
                }
                byte[] chunk = script[step++];
                if (chunk == null) {
                    throw new SocketTimeoutException("quiet");
                }
                int n = Math.min(len, chunk.length);
                System.arraycopy(chunk, 0, b, off, n);
                if (n < chunk.length) {
                    script[--step] = java.util.Arrays.copyOfRange(chunk, n, chunk.length);
                }
                return n;
            }
        };
        IrcLineReader reader = new IrcLineReader(in);
        assertEquals("PING a", text(reader.read()));
        assertThrows(SocketTimeoutException.class, reader::read);
        reader.releaseBuffer();
        assertThrows(SocketTimeoutException.class, reader::read); // inside the over-long line
        assertInstanceOf(Line.TooLong.class, reader.read());
        assertEquals("PING b", text(reader.read()));
        assertInstanceOf(Line.End.class, reader.read());
    }

    @Test
    void validUtf8IsUtf8AndAnythingElseIsLatin1() throws Exception {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes("caf\u00e9 \ud83d\ude00\r\n".getBytes(StandardCharsets.UTF_8));
        input.writeBytes("caf\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1));
        input.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0, '\r', '\n'});
        IrcLineReader reader = reader(input.toByteArray());

        assertEquals("caf\u00e9 \ud83d\ude00", text(reader.read()));
        assertEquals("caf\u00e9", text(reader.read()));
        assertEquals("\u00ff\u00fe\u0000", text(reader.read()));
    }
}
