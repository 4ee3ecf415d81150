package dev.loomchat.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameWriterTest {

    /** Records what reaches the stream, and how. */
    static final class RecordingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;
        int flushes;
        boolean closed;

        @Override
        public void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aCallersBufferIsUsedAndFramesComeOutWhole() throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64];
        var writer = new FrameWriter(out, buffer);
        Frame a = Frame.of(new ServerMessage.Pong("a"));
        Frame big = Frame.of(new ServerMessage.Pong("x".repeat(100)));

        writer.write(a);
        assertEquals(0, out.size(), "held in the caller's buffer until flush");
        writer.write(big); // larger than the buffer: drained, then written straight through
        writer.flush();

        assertEquals(a + "\n" + big + "\n", out.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> new FrameWriter(out, new byte[0]));
    }

    @Test
    void framesStayBufferedUntilFlushThenGoOutInOneWrite() throws IOException {
        var stream = new RecordingStream();
        var writer = new FrameWriter(stream);
        var expected = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            Frame frame = Frame.of(new ServerMessage.Pong("p" + i));
            writer.write(frame);
            expected.writeBytes(frame.toByteArray());
        }
        assertEquals(0, stream.bytes.size());
        assertEquals(expected.size(), writer.buffered());
        writer.flush();
        assertEquals(1, stream.writes);
        assertEquals(1, stream.flushes);
        assertEquals(0, writer.buffered());
        assertArrayEquals(expected.toByteArray(), stream.bytes.toByteArray());
    }

    @Test
    void aFullBufferIsWrittenWithoutFlushingAndOrderIsKept() throws IOException {
        var stream = new RecordingStream();
        var writer = new FrameWriter(stream, 64);
        var random = new SplittableRandom(7);
        var expected = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            // Some frames fit the buffer, some are larger than all of it.
            Frame frame = Frame.of(new ClientMessage.Say("#r", "t".repeat(random.nextInt(150))));
            writer.write(frame);
            expected.writeBytes(frame.toByteArray());
        }
        assertEquals(0, stream.flushes);
        writer.flush();
        assertArrayEquals(expected.toByteArray(), stream.bytes.toByteArray());
    }

    @Test
    void oneEncodedFrameCanBeSharedByManyWriters() throws IOException {
        Frame frame = Frame.of(ServerMessage.ChatMessage.toRoom(1, 2, "alice", "#r", "to everyone"));
        List<RecordingStream> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var stream = new RecordingStream();
            streams.add(stream);
            try (var writer = new FrameWriter(stream)) {
                writer.write(frame);
            }
        }
        for (RecordingStream stream : streams) {
            assertArrayEquals(frame.toByteArray(), stream.bytes.toByteArray());
            assertTrue(stream.closed);
        }
    }

    @Test
    void writingAMessageEqualsWritingItsFrame() throws IOException {
        var a = new RecordingStream();
        var b = new RecordingStream();
        var message = new ServerMessage.Error(ErrorCode.RATE_LIMITED, "slow down", "r");
        try (var viaMessage = new FrameWriter(a); var viaFrame = new FrameWriter(b)) {
            viaMessage.write(message);
            viaFrame.write(Frame.of(message));
        }
        assertArrayEquals(b.bytes.toByteArray(), a.bytes.toByteArray());
        assertEquals("{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow down\",\"ref\":\"r\"}\n",
                a.bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void everyWrittenFrameIsExactlyOneLine() throws IOException {
        var stream = new RecordingStream();
        int frames = 0;
        try (var writer = new FrameWriter(stream, 100)) {
            for (Message message : allSamples()) {
                writer.write(message);
                frames++;
            }
        }
        byte[] written = stream.bytes.toByteArray();
        long newlines = 0;
        for (byte b : written) {
            assertTrue(b != '\r');
            if (b == '\n') {
                newlines++;
            }
        }
        assertEquals(frames, newlines);
        assertEquals('\n', written[written.length - 1]);
    }

    @Test
    void closeClosesTheStreamEvenIfFlushFails() {
        var closed = new boolean[1];
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("broken pipe");
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        var writer = new FrameWriter(failing);
        assertThrows(IOException.class, () -> {
            writer.write(new ClientMessage.Ping());
            writer.close();
        });
        assertTrue(closed[0]);
    }

    @Test
    void rejectsABadBufferSize() {
        assertThrows(IllegalArgumentException.class, () -> new FrameWriter(OutputStream.nullOutputStream(), 0));
    }

    private static List<Message> allSamples() {
        List<Message> all = new ArrayList<>(Samples.client());
        all.addAll(Samples.server());
        return all;
    }
}
