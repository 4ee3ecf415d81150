package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 1 GiB line without a newline (issue 4, bad input): the server reports {@code line_too_long}
 * once, discards the rest as it arrives without holding it, keeps serving everyone, and reads
 * the next line normally once the newline comes.
 */
class ChatServerHugeLineTest {

    private static final long LINE_BYTES = 1L << 30;
    private static final int CHUNK_BYTES = 1 << 20;
    /** Heap growth that would betray buffering: far below the 256 MiB between two checks. */
    private static final long MAX_HEAP_GROWTH_BYTES = 96L << 20;

    @Test
    @Timeout(120)
    void aGigabyteLineIsDiscardedWithoutBeingBufferedAndTheServerKeepsServing() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob");
             TestClient streamer = TestClient.welcomed(server, "streamer")) {
            alice.join("#chat");
            bob.join("#chat");
            alice.next(ServerMessage.Joined.class);
            long baseline = usedHeapAfterGc();
            long started = System.nanoTime();
            FutureTask<Long> stream = new FutureTask<>(() -> streamHugeLine(streamer.socket().getOutputStream(), baseline));
            Thread.ofVirtual().name("huge-line-streamer").start(stream);

            // Reported as soon as the limit is passed, long before the line ends.
            ServerMessage.Error tooLong = streamer.next(ServerMessage.Error.class);
            assertEquals(ErrorCode.LINE_TOO_LONG, tooLong.code());
            // Alice and Bob chat all along.
            int said = 0;
            while (!stream.isDone()) {
                ChatMessage own = alice.say("#chat", "while the line streams " + said++);
                assertEquals(own.withRef(null), bob.next(ChatMessage.class));
            }
            long maxGrowth = stream.get(10, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - started) / 1e9;

            // The line ends; the next one is read normally, and the long line got exactly one error.
            streamer.sendRaw("\"}\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of(), streamer.sync());
            assertTrue(maxGrowth < MAX_HEAP_GROWTH_BYTES,
                    "heap grew by " + (maxGrowth >> 20) + " MiB while a 1 GiB line streamed in");
            assertTrue(said > 0);
            assertEquals(0, server.stats().get("slowConsumers"));
            System.out.printf("1 GiB line: %.1f s (%.0f MiB/s), heap growth at most %d MiB, %d messages chatted meanwhile%n",
                    seconds, (LINE_BYTES >> 20) / seconds, maxGrowth >> 20, said);
        }
    }

    /**
     * Writes the start of a {@code say} and then {@link #LINE_BYTES} bytes of text without a
     * newline; every 256 MiB it checks the heap. Returns the largest growth over
     * {@code baseline} seen.
     */
    private static long streamHugeLine(OutputStream out, long baseline) throws Exception {
        out.write("{\"type\":\"say\",\"room\":\"#chat\",\"text\":\"".getBytes(StandardCharsets.UTF_8));
        byte[] chunk = new byte[CHUNK_BYTES];
        Arrays.fill(chunk, (byte) 'x');
        long maxGrowth = 0;
        for (long sent = 0; sent < LINE_BYTES; sent += CHUNK_BYTES) {
            out.write(chunk);
            if ((sent + CHUNK_BYTES) % (256L << 20) == 0) {
                maxGrowth = Math.max(maxGrowth, usedHeapAfterGc() - baseline);
            }
        }
        out.flush();
        return maxGrowth;
    }

    /** The live heap: what a buffered line would show up in, garbage collected first. */
    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    @Timeout(60)
    void aLineOverTheLimitIsAnsweredOnceAndTheNextFrameWorks() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().maxLineBytes(1024).build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            byte[] line = new byte[5001];
            Arrays.fill(line, (byte) 'a');
            line[5000] = '\n';
            alice.sendRaw(line);
            alice.nextError(ErrorCode.LINE_TOO_LONG);

            alice.send(new ClientMessage.Ping("after"));

            assertEquals(new ServerMessage.Pong("after"), alice.next());
            // Exactly at the limit is fine.
            String ping = Frame.of(new ClientMessage.Ping("p")).toString();
            String padded = ping.substring(0, ping.length() - 1) + " ".repeat(1024 - ping.length()) + "}";
            assertEquals(1024, padded.getBytes(StandardCharsets.UTF_8).length);
            alice.sendLine(padded);
            assertEquals(new ServerMessage.Pong("p"), alice.next());
            alice.sendLine(padded + " ");
            alice.nextError(ErrorCode.LINE_TOO_LONG);
        }
    }
}
