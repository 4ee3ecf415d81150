package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ServerMessage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who writes a session's frames: the reader its own replies, a writer thread everything else. */
@Timeout(60)
class SessionWritingTest {

    /** One write call: the thread that made it and the bytes. */
    record Write(String thread, String text) {
    }

    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

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

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private Session newSession() throws Exception {
        return new Session(SocketChannel.open(), new InetSocketAddress("127.0.0.1", 4242),
                ChatConfig.defaults(), new ServerCounters(), timers);
    }

    private static String pong(String ref) {
        return "{\"type\":\"pong\",\"ref\":\"" + ref + "\"}\n";
    }

    @Test
    void theReadersOwnRepliesWaitForFlushAndGoOutInOneWriteOnTheReaderThread() throws Exception {
        Session session = newSession();
        Thread reader = Thread.ofVirtual().name("reader").start(() -> {
            session.startWriting(out);
            session.send(new ServerMessage.Pong("a"));
            session.send(new ServerMessage.Pong("b"));
            assertEquals(List.of(), writes, "nothing written before the reader flushes");
            session.flushReplies();
        });
        reader.join();

        assertEquals(List.of(new Write("reader", pong("a") + pong("b"))), writes);
    }

    @Test
    void framesFromOtherThreadsAreWrittenByAWriterThreadWithoutTheReader() throws Exception {
        Session session = newSession();
        Thread reader = Thread.ofVirtual().name("reader").start(() -> session.startWriting(out));
        reader.join();

        session.send(new ServerMessage.Pong("fan-out")); // this test thread is not the reader

        await().atMost(Duration.ofSeconds(20)).until(() -> writes.size() == 1);
        assertEquals(pong("fan-out"), writes.getFirst().text());
        assertTrue(writes.getFirst().thread().startsWith("chat-writer-"), writes.getFirst().thread());
    }

    @Test
    void atTheEndTheReaderHandsItsRepliesToAWriterThreadWhichClosesTheOutbox() throws Exception {
        Session session = newSession();
        Thread reader = Thread.ofVirtual().name("reader").start(() -> {
            session.startWriting(out);
            session.send(new ServerMessage.Bye("q"));
            session.finish(ServerMessage.Parted.REASON_QUIT);
            session.handOffReplies();
        });
        reader.join();

        assertTrue(session.outbox().awaitTerminated(Duration.ofSeconds(20)), "the writer thread terminated the outbox");
        assertEquals(1, writes.size());
        assertTrue(writes.getFirst().text().contains("\"bye\""), writes.getFirst().text());
        assertTrue(writes.getFirst().thread().startsWith("chat-writer-"), writes.getFirst().thread());
        assertTrue(!session.channel().isOpen(), "the connection is closed");
    }
}
