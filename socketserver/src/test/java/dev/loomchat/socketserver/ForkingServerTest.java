package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The forking servers as the issue asks: each request answered from a child JVM (a PID other than
 * the server's), {@code maxChildren} never exceeded under 100 concurrent requests, a handler that
 * exits or throws ends only its child, no child left after {@code serverClose()}; the pre-forked
 * pool; and the errors a user gets for what cannot work.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ForkingServerTest {

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    @TempDir
    Path dir;

    /** Every child JVM this test JVM has: none may be left after a test. */
    private static List<ProcessHandle> childJvms() {
        String java = TestNet.javaCommand();
        return ProcessHandle.current().children()
                .filter(child -> child.info().command().orElse("").equals(java)).toList();
    }

    @AfterEach
    void noChildJvmLeftBehind() {
        assertEquals(List.of(), childJvms(), "no child JVM left behind, zombie or alive");
    }

    private static long pidIn(String reply) {
        Matcher m = PID.matcher(reply);
        assertTrue(m.find(), "reply names its PID: " + reply);
        return Long.parseLong(m.group(1));
    }

    /** Sends a line, returns everything the server sent until EOF. */
    private static String exchange(SocketAddress address, String line) throws IOException {
        try (SocketChannel channel = TestNet.connect(address)) {
            OutputStream out = Channels.newOutputStream(channel);
            InputStream in = Channels.newInputStream(channel);
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return new String(TestNet.readAll(in), StandardCharsets.UTF_8).strip();
        }
    }

    private static String udpExchange(SocketAddress address, String text) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, address));
            byte[] buffer = new byte[8192];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            return new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8);
        }
    }

    private String unixDgramExchange(Path server, String text) throws IOException {
        Path clientPath = dir.resolve("c-" + System.nanoTime() + ".sock");
        try (AFUNIXDatagramChannel client = AFUNIXDatagramChannel.open()) {
            client.bind(AFUNIXSocketAddress.of(clientPath));
            client.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), AFUNIXSocketAddress.of(server));
            ByteBuffer reply = ByteBuffer.allocate(8192);
            client.receive(reply);
            return new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(clientPath);
        }
    }

    private static void assertAnsweredByAnotherProcess(String expectedText, String reply) {
        assertTrue(reply.startsWith(expectedText + " pid="), reply);
        assertNotEquals(ProcessHandle.current().pid(), pidIn(reply), "handled in a child process");
    }

    /** Waits until process {@code pid} has ended (the client's EOF can come just before the exit). */
    private static void assertGone(long pid) {
        await().atMost(PATIENCE).until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    // ------------------------------------------------------------------ a process per request

    @Test
    void everyForkingServerAnswersFromAChildProcess() throws Exception {
        List<Long> children = new ArrayList<>();
        try (ForkingTCPServer tcp = new ForkingTCPServer(loopback(), ForkedHandlers.PidUpperStream.class);
             ForkingUDPServer udp = new ForkingUDPServer(loopback(), ForkedHandlers.PidUpperDatagram.class);
             ForkingUnixStreamServer unix = new ForkingUnixStreamServer(dir.resolve("s.sock"),
                     ForkedHandlers.PidUpperStream.class);
             ForkingUnixDatagramServer unixDgram = new ForkingUnixDatagramServer(dir.resolve("d.sock"),
                     ForkedHandlers.PidUpperDatagram.class);
             BackgroundServing s1 = BackgroundServing.start(tcp);
             BackgroundServing s2 = BackgroundServing.start(udp);
             BackgroundServing s3 = BackgroundServing.start(unix);
             BackgroundServing s4 = BackgroundServing.start(unixDgram)) {
            String reply = exchange(tcp.serverAddress(), "tcp");
            assertAnsweredByAnotherProcess("TCP", reply);
            children.add(pidIn(reply));
            reply = udpExchange(udp.serverAddress(), "udp");
            assertAnsweredByAnotherProcess("UDP", reply);
            children.add(pidIn(reply));
            reply = exchange(unix.serverAddress(), "unix stream");
            assertAnsweredByAnotherProcess("UNIX STREAM", reply);
            children.add(pidIn(reply));
            reply = unixDgramExchange(dir.resolve("d.sock"), "unix datagram");
            assertAnsweredByAnotherProcess("UNIX DATAGRAM", reply);
            children.add(pidIn(reply));
            assertEquals(4, new HashSet<>(children).size(), "one child per request");
            for (BackgroundServing serving : List.of(s1, s2, s3, s4)) {
                serving.stop();
            }
        }
        children.forEach(ForkingServerTest::assertGone);
    }

    @Test
    void maxChildrenIsNeverExceededUnderAHundredConcurrentRequests() throws Exception {
        int maxChildren = 4;
        int requests = 100;
        AtomicInteger mostLiveChildren = new AtomicInteger();
        Forking forking = Forking.processPerRequest().withMaxChildren(maxChildren);
        try (ForkingTCPServer server = new ForkingTCPServer(loopback(),
                NamedHandlerFactory.ofClass(ForkedHandlers.PidUpperStream.class), forking, true) {
                @Override
                public int requestQueueSize() {
                    return requests; // every client's connection waits in the backlog, none is refused
                }

                @Override
                public void processRequest(SocketChannel request, SocketAddress clientAddress) throws Exception {
                    super.processRequest(request, clientAddress); // a child was just started: the peak
                    mostLiveChildren.accumulateAndGet(childJvms().size(), Math::max);
                }
            };
             BackgroundServing serving = BackgroundServing.start(server);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String line = "request " + i;
                replies.add(clients.submit(() -> exchange(server.serverAddress(), line)));
            }
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < requests; i++) {
                String reply = replies.get(i).get(PATIENCE.toSeconds() * 4, TimeUnit.SECONDS);
                assertAnsweredByAnotherProcess("REQUEST " + i, reply);
                pids.add(pidIn(reply));
            }
            assertEquals(requests, pids.size(), "a process per request");
            assertTrue(mostLiveChildren.get() >= 1 && mostLiveChildren.get() <= maxChildren,
                    "live children never above maxChildren: at most " + mostLiveChildren.get());
            assertTrue(forking.activeChildCount() <= maxChildren);
            serving.stop();
        }
        assertEquals(0, forking.activeChildCount(), "serverClose reaped every child");
    }

    @Test
    void aHandlerCallingSystemExitEndsOnlyItsChildAndTheStatusIsLogged() throws Exception {
        try (StandardErrorCapture stderr = new StandardErrorCapture();
             ForkingTCPServer server = new ForkingTCPServer(loopback(), ForkedHandlers.ExitingStream.class);
             BackgroundServing serving = BackgroundServing.start(server)) {
            long first = pidIn(exchange(server.serverAddress(), "exit"));
            await().atMost(PATIENCE).until(() -> stderr.text().contains("exited with status 3"));
            assertGone(first);
            long second = pidIn(exchange(server.serverAddress(), "exit again"));
            assertNotEquals(first, second, "the server went on with a new child");
            assertNotEquals(ProcessHandle.current().pid(), second);
            serving.stop();
        }
    }

    @Test
    void aThrowingHandlerEndsOnlyItsChildWithStatus1() throws Exception {
        try (StandardErrorCapture stderr = new StandardErrorCapture();
             ForkingTCPServer server = new ForkingTCPServer(loopback(), ForkedHandlers.ThrowingStream.class);
             BackgroundServing serving = BackgroundServing.start(server)) {
            long first = pidIn(exchange(server.serverAddress(), "throw"));
            await().atMost(PATIENCE).until(() -> stderr.text().contains("exited with status 1"));
            assertTrue(stderr.text().contains("ValueError from the forked handler"), "the child reported it");
            long second = pidIn(exchange(server.serverAddress(), "throw again"));
            assertNotEquals(first, second);
            serving.stop();
        }
    }

    @Test
    void aChildThatCannotStartHasItsRequestClosedByTheServer() throws Exception {
        Forking forking = Forking.processPerRequest().withJvmOptions(List.of("-XX:+NoSuchJvmFlagForThisTest"));
        try (StandardErrorCapture stderr = new StandardErrorCapture();
             ForkingTCPServer server = new ForkingTCPServer(loopback(),
                     NamedHandlerFactory.ofClass(ForkedHandlers.PidUpperStream.class), forking, true);
             BackgroundServing serving = BackgroundServing.start(server)) {
            assertEquals("", exchange(server.serverAddress(), "nobody answers"), "EOF, not a hang");
            await().atMost(PATIENCE).until(() -> stderr.text().contains("before taking the request"));
            await().atMost(PATIENCE).until(() -> forking.activeChildCount() == 0);
            serving.stop();
        }
    }

    @Test
    void withoutBlockOnCloseServerCloseDoesNotWaitForARunningChild() throws Exception {
        Forking forking = Forking.processPerRequest().withBlockOnClose(false);
        long child;
        try (ForkingTCPServer server = new ForkingTCPServer(loopback(),
                NamedHandlerFactory.ofClass(ForkedHandlers.PidUpperStream.class), forking, true);
             BackgroundServing serving = BackgroundServing.start(server);
             SocketChannel client = TestNet.connect(server.serverAddress())) {
            // The child is blocked reading the line this client has not sent yet.
            await().atMost(PATIENCE).until(() -> !childJvms().isEmpty());
            child = childJvms().get(0).pid();
            serving.stop();
            server.serverClose();
            assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
                    "serverClose returned while the child still serves its client");
            Channels.newOutputStream(client).write("late\n".getBytes(StandardCharsets.UTF_8));
            String reply = new String(TestNet.readAll(Channels.newInputStream(client)), StandardCharsets.UTF_8);
            assertAnsweredByAnotherProcess("LATE", reply.strip());
        }
        assertGone(child);
    }

    // ------------------------------------------------------------------ the pre-forked pool

    @Test
    void aPreforkedPoolAnswersEveryRequestFromItsFewLongLivedWorkers() throws Exception {
        Forking pool = Forking.preforkedPool(2);
        try (ForkingTCPServer server = new ForkingTCPServer(loopback(), ForkedHandlers.PidUpperStream.class, pool);
             BackgroundServing serving = BackgroundServing.start(server);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            assertEquals(2, pool.activeChildCount(), "workers start with the server");
            Set<Long> workers = new HashSet<>();
            pool.activeChildren().forEach(worker -> workers.add(worker.pid()));
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String line = "pooled " + i;
                replies.add(clients.submit(() -> exchange(server.serverAddress(), line)));
            }
            for (int i = 0; i < replies.size(); i++) {
                String reply = replies.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertAnsweredByAnotherProcess("POOLED " + i, reply);
                assertTrue(workers.contains(pidIn(reply)), "answered by one of the pool's workers: " + reply);
            }
            serving.stop();
        }
        assertEquals(0, pool.activeChildCount());
    }

    @Test
    void aPoolWorkerThatExitsIsReplaced() throws Exception {
        Forking pool = Forking.preforkedPool(2);
        try (StandardErrorCapture stderr = new StandardErrorCapture();
             ForkingTCPServer server = new ForkingTCPServer(loopback(), ForkedHandlers.ExitingStream.class, pool);
             BackgroundServing serving = BackgroundServing.start(server)) {
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                long pid = pidIn(exchange(server.serverAddress(), "exit " + i));
                assertTrue(pids.add(pid), "each request met a fresh worker, the last one having exited");
                assertGone(pid);
            }
            await().atMost(PATIENCE).until(() -> pool.activeChildCount() == 2);
            assertTrue(stderr.text().contains("exited with status 3"), "the parent logged the worker's status");
            serving.stop();
        }
    }

    @Test
    void aPreforkedPoolServesAfUnixDatagrams() throws Exception {
        Path path = dir.resolve("pool-dgram.sock");
        Forking pool = Forking.preforkedPool(2);
        try (ForkingUnixDatagramServer server = new ForkingUnixDatagramServer(path,
                NamedHandlerFactory.ofClass(ForkedHandlers.PidUpperDatagram.class), pool, true);
             BackgroundServing serving = BackgroundServing.start(server)) {
            for (int i = 0; i < 10; i++) {
                assertAnsweredByAnotherProcess("DATAGRAM " + i, unixDgramExchange(path, "datagram " + i));
            }
            assertTrue(Files.exists(path), "a child closing its copy of the socket left the server's file alone");
            serving.stop();
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void aPoolWhoseWorkersCannotStartStopsAndClosesRequestsInsteadOfRestartingForever() throws Exception {
        Forking pool = Forking.preforkedPool(1).withJvmOptions(List.of("-XX:+NoSuchJvmFlagForThisTest"));
        try (StandardErrorCapture stderr = new StandardErrorCapture();
             ForkingTCPServer server = new ForkingTCPServer(loopback(), ForkedHandlers.PidUpperStream.class, pool);
             BackgroundServing serving = BackgroundServing.start(server)) {
            await().atMost(PATIENCE).until(() -> stderr.text().contains("the pool is stopped"));
            assertEquals("", exchange(server.serverAddress(), "nobody answers"), "EOF, not a hang");
            await().atMost(PATIENCE).until(() -> pool.activeChildCount() == 0);
            serving.stop();
        }
    }

    // ------------------------------------------------------------------ what cannot work, said clearly

    @Test
    void aHandlerThatCannotBeBuiltByNameIsRefusedAtOnce() {
        StreamRequestHandler anonymous = new StreamRequestHandler() {
        };
        @SuppressWarnings("unchecked")
        Class<? extends BaseRequestHandler<SocketChannel>> type =
                (Class<? extends BaseRequestHandler<SocketChannel>>) anonymous.getClass();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamedHandlerFactory.ofClass(type));
        assertTrue(e.getMessage().contains("top-level or static nested class"), e.getMessage());
    }

    @Test
    void aForkingStrategyOnAServerWithALambdaFactoryFailsAtConstruction() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TCPServer(loopback(),
                ForkedHandlers.PidUpperStream::new, Forking.processPerRequest()).close());
        assertTrue(e.getMessage().contains("NamedHandlerFactory"), e.getMessage());
    }

    /** Constructs a forking server in a JVM started without the flag it needs; prints the error. */
    static final class WithoutOpensFlag {
        public static void main(String[] args) throws IOException {
            try (ForkingTCPServer server = new ForkingTCPServer(loopback(), ForkedHandlers.PidUpperStream.class)) {
                System.out.println("constructed " + server);
            } catch (UnsupportedOperationException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }

    @Test
    void withoutTheJvmFlagAForkingServerFailsAtConstructionSayingWhy() throws Exception {
        Process jvm = new ProcessBuilder(TestNet.javaCommand(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), WithoutOpensFlag.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jvm.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(output.contains("refused: ") && output.contains("--add-opens java.base/sun.nio.ch=ALL-UNNAMED"),
                output);
    }
}
