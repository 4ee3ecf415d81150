package dev.loomchat.server.door;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.chat.Outbox;
import dev.loomchat.server.chat.Outgoing;
import dev.loomchat.server.chat.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who writes a connection's frames: the reader its own replies, a writer thread everything else. */
@Timeout(60)
class ConnectionWriterTest {

    /** One write call: the thread that made it and the bytes. */
    record Write(String thread, String text) {
    }

    /** JSON lines, as the lines door encodes and writes them. */
    private static final WireFormat<Frame> JSON_LINES = new WireFormat<>() {
        @Override
        public Frame encode(ServerMessage message) {
            return Frame.of(message);
        }

        @Override
        public int size(Frame frame) {
            return frame.length();
        }
    };
    private static final FrameOutput<Frame> AS_IS = (frame, out) -> {
        frame.writeTo(out);
        return frame.length();
    };

    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private final AtomicInteger closes = new AtomicInteger();
    private final LongAdder bytesOut = new LongAdder();
    private final Outbox<Frame> outbox = new Outbox<>(JSON_LINES, 100, 1 << 20);

    private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(new Write(Thread.currentThread().getName(), new String(b, off, len, StandardCharsets.UTF_8)));
        }
    };

    private ConnectionWriter<Frame> start(OutputStream output) {
        return ConnectionWriter.start(outbox, AS_IS, output, closes::incrementAndGet, bytesOut, "chat-writer-test");
    }

    private static String pong(String ref) {
        return "{\"type\":\"pong\",\"ref\":\"" + ref + "\"}\n";
    }

    private void offer(ServerMessage message) {
        assertEquals(Outbox.Offer.QUEUED, outbox.offer(new Outgoing(message)));
    }

    @Test
    void theReadersOwnRepliesWaitForFlushAndGoOutInOneWriteOnTheReaderThread() throws Exception {
        Thread reader = Thread.ofVirtual().name("reader").start(() -> {
            ConnectionWriter<Frame> writer = start(out);
            offer(new ServerMessage.Pong("a"));
            offer(new ServerMessage.Pong("b"));
            assertEquals(List.of(), writes, "nothing written before the reader flushes");
            try {
                assertTrue(writer.flushReplies());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        reader.join();

        assertEquals(List.of(new Write("reader", pong("a") + pong("b"))), writes);
        assertEquals((pong("a") + pong("b")).length(), bytesOut.sum());
    }

    @Test
    void framesFromOtherThreadsAreWrittenByAWriterThreadWithoutTheReader() throws Exception {
        Thread reader = Thread.ofVirtual().name("reader").start(() -> start(out));
        reader.join();

        offer(new ServerMessage.Pong("fan-out")); // this test thread is not the reader

        await().atMost(Duration.ofSeconds(20)).until(() -> writes.size() == 1);
        assertEquals(pong("fan-out"), writes.getFirst().text());
        assertEquals("chat-writer-test", writes.getFirst().thread());
    }

    @Test
    void atTheEndTheReaderHandsItsRepliesToAWriterThreadWhichClosesTheConnection() throws Exception {
        Thread reader = Thread.ofVirtual().name("reader").start(() -> {
            ConnectionWriter<Frame> writer = start(out);
            offer(new ServerMessage.Bye("q"));
            outbox.close();
            writer.handOffReplies();
        });
        reader.join();

        assertTrue(outbox.awaitTerminated(Duration.ofSeconds(20)), "the writer thread terminated the outbox");
        assertEquals(1, writes.size());
        assertTrue(writes.getFirst().text().contains("\"bye\""), writes.getFirst().text());
        assertEquals("chat-writer-test", writes.getFirst().thread());
        assertEquals(1, closes.get(), "the connection is closed");
    }

    @Test
    void aFailedWriteOfTheReaderClosesTheConnectionAndTerminatesTheOutbox() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("connection reset");
            }
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().name("reader").start(() -> {
            ConnectionWriter<Frame> writer = start(broken);
            offer(new ServerMessage.Pong("a"));
            thrown.set(assertThrows(IOException.class, writer::flushReplies));
        });
        reader.join();

        assertEquals("connection reset", thrown.get().getMessage());
        assertTrue(outbox.awaitTerminated(Duration.ofSeconds(20)));
        assertEquals(1, closes.get());
        assertEquals(Outbox.Offer.CLOSED, outbox.offer(new Outgoing(new ServerMessage.Pong("late"))));
    }

    @Test
    void aFailedWriteOfAWriterThreadClosesTheConnectionAndTerminatesTheOutbox() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        };
        Thread reader = Thread.ofVirtual().name("reader").start(() -> start(broken));
        reader.join();

        offer(new ServerMessage.Pong("fan-out"));

        assertTrue(outbox.awaitTerminated(Duration.ofSeconds(20)));
        assertEquals(1, closes.get());
    }
}
