package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No connection can hold a carrier thread (PROTOCOL.md §8, "Fairness"): connections that flood
 * frames that get no reply (pongs after {@code hello}, blank lines before it, the tail of an
 * over-long line) must not slow anyone else down. A virtual thread is not pre-empted, so a reader
 * that always finds input ready would otherwise run its carrier forever; two of them hold a
 * 2-core machine. While the floods run, a bystander pair keeps chatting (nothing lost) and a
 * third client's ping round trip stays within a generous multiple of its unloaded round trip.
 */
@Timeout(120)
class ChatServerFairnessTest {

    /** Generous: an unfair server is thousands of times slower (seconds against 0.1 ms). */
    private static final int MAX_SLOWDOWN = 500;
    /**
     * The least unloaded round trip the bound is taken from: the flooders are platform threads of
     * this JVM, competing with the server's carriers for the same two cores, so under a flood even
     * a fair server's pinger waits for the OS scheduler's time slices (milliseconds), however short
     * its unloaded round trip (tens of µs). 500 × 1 ms still fails a starving server by far.
     */
    private static final long MIN_BASELINE_NANOS = 1_000_000;
    private static final int FLOODERS = 4;
    /** Few enough that hello and both measurements fit in the pinger's own flood-control burst (20). */
    private static final int PINGS = 9;
    private static final int MESSAGES = 15;
    private static final long FLOOD_UNDER_WAY_BYTES = 96 * 1024;

    @ParameterizedTest(name = "{0} flood, msgRate {1}")
    @CsvSource({"pong, 10", "pong, 0", "blank, 10", "blank, 0", "overlong, 10", "overlong, 0"})
    void floodsOfUnansweredInputDoNotStarveOtherClients(String kind, int msgRate) throws Exception {
        ChatConfig config = TestServers.config().msgRate(msgRate).msgBurst(20).build();
        try (ChatServer server = ChatServer.start(config);
             TestClient pinger = TestClient.welcomed(server, "pinger");
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#room");
            bob.join("#room");
            alice.await(ServerMessage.Joined.class);
            long unloaded = medianPingNanos(pinger);

            List<Flooder> flooders = new ArrayList<>();
            try {
                for (int i = 0; i < FLOODERS; i++) {
                    flooders.add(Flooder.start(server.address(), kind, "flood" + i));
                }
                // Every flood is under way: more written than the socket buffers hold at first.
                await().atMost(Duration.ofSeconds(30)).until(
                        () -> flooders.stream().allMatch(flooder -> flooder.written() >= FLOOD_UNDER_WAY_BYTES));

                long loaded = medianPingNanos(pinger);
                List<String> said = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    said.add(alice.say("#room", "bystander " + i).text());
                }
                List<String> heard = new ArrayList<>();
                while (heard.size() < MESSAGES) {
                    if (bob.next() instanceof ServerMessage.ChatMessage message && "alice".equals(message.from())) {
                        heard.add(message.text());
                    }
                }
                assertEquals(said, heard, "the bystander lost nothing");
                assertTrue(loaded <= MAX_SLOWDOWN * Math.max(unloaded, MIN_BASELINE_NANOS),
                        "ping round trip under a " + kind + " flood: median " + loaded / 1000 + " µs, unloaded "
                                + unloaded / 1000 + " µs (at most " + MAX_SLOWDOWN + "x, of 1 ms at least)");
                assertTrue(flooders.stream().allMatch(Flooder::stillFlooding) || msgRate > 0,
                        "without flood control the floods are absorbed, not cut off");
            } finally {
                for (Flooder flooder : flooders) {
                    flooder.close();
                }
            }
        }
    }

    /** The median of {@value #PINGS} sequential ping round trips. */
    private static long medianPingNanos(TestClient client) throws IOException {
        long[] rtt = new long[PINGS];
        for (int i = 0; i < PINGS; i++) {
            String ref = client.ref();
            long start = System.nanoTime();
            client.send(new ClientMessage.Ping(ref));
            while (!(client.next() instanceof ServerMessage.Pong pong && ref.equals(pong.ref()))) {
                // a frame queued before the pong
            }
            rtt[i] = System.nanoTime() - start;
        }
        Arrays.sort(rtt);
        return rtt[PINGS / 2];
    }

    /** A client on a platform thread that writes one kind of unanswered input as fast as it can. */
    private static final class Flooder implements AutoCloseable {
        private final Socket socket;
        private final Thread thread;
        private final AtomicBoolean stop = new AtomicBoolean();
        private volatile boolean cutOff;
        private final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();

        private Flooder(Socket socket, byte[] prefix, byte[] block) {
            this.socket = socket;
            this.thread = Thread.ofPlatform().daemon().name("flooder").start(() -> run(prefix, block));
        }

        static Flooder start(InetSocketAddress address, String kind, String nick) throws IOException {
            Socket socket = new Socket(address.getAddress(), address.getPort());
            byte[] hello = Frame.of(new ClientMessage.Hello(nick, null, null, 1, null)).toByteArray();
            return switch (kind) {
                case "pong" -> new Flooder(socket, hello, repeat(Frame.of(new ClientMessage.Pong()).toByteArray(), 512));
                case "blank" -> new Flooder(socket, new byte[0], repeat("\n".getBytes(StandardCharsets.US_ASCII), 8192));
                case "overlong" -> new Flooder(socket, hello, repeat("x".getBytes(StandardCharsets.US_ASCII), 8192));
                default -> throw new IllegalArgumentException(kind);
            };
        }

        private void run(byte[] prefix, byte[] block) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(prefix);
                while (!stop.get()) {
                    out.write(block);
                    written.addAndGet(block.length);
                }
            } catch (IOException e) {
                cutOff = !stop.get();
            }
        }

        long written() {
            return written.get();
        }

        boolean stillFlooding() {
            return !cutOff && thread.isAlive();
        }

        private static byte[] repeat(byte[] unit, int count) {
            byte[] block = new byte[unit.length * count];
            for (int i = 0; i < count; i++) {
                System.arraycopy(unit, 0, block, i * unit.length, unit.length);
            }
            return block;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            stop.set(true);
            socket.close();
            thread.join();
        }
    }
}
