package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.POLL;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request loop of {@link BaseServer} beyond CPython's own tests: {@code handleRequest} with a
 * timeout, {@code shutdown()} from a handler or with no loop running (where Python deadlocks),
 * {@code verifyRequest}, {@code handleError} keeping the server alive, {@code serviceActions},
 * and the handler life cycle.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerLoopTest {

    private final HandlerErrors errors = new HandlerErrors();

    /** A synchronous TCP server with {@code handler}, recording handler errors. */
    private TCPServer recordingServer(RequestHandlerFactory<SocketChannel> handler) throws Exception {
        return new TCPServer(loopback(), handler) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        };
    }

    @Test
    void handleRequestWithATimeoutCallsHandleTimeoutWhenNothingArrives() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        try (TCPServer server = new TCPServer(loopback(), () -> new BaseRequestHandler<SocketChannel>() {
            @Override
            protected void handle() {
                handled.incrementAndGet();
            }
        }) {
            @Override
            public Duration timeout() {
                return Duration.ofMillis(50);
            }

            @Override
            public void handleTimeout() {
                timeouts.incrementAndGet();
            }
        }) {
            server.handleRequest();
            assertEquals(1, timeouts.get(), "handleTimeout called once");
            assertEquals(0, handled.get());

            // and a request that is there is handled, without a timeout
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try (SocketChannel client = SocketChannel.open(address)) {
                server.handleRequest();
                assertEquals(-1, Channels.newInputStream(client).read(), "served and closed");
            }
            assertEquals(1, handled.get());
            assertEquals(1, timeouts.get());
        }
    }

    /** Python selects before it checks the deadline: a zero timeout is a poll. */
    @Test
    void handleRequestWithAZeroTimeoutHandlesARequestThatIsAlreadyWaiting() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        try (TCPServer server = new TCPServer(loopback(), () -> new BaseRequestHandler<SocketChannel>() {
            @Override
            protected void handle() {
                handled.incrementAndGet();
            }
        }) {
            @Override
            public Duration timeout() {
                return Duration.ZERO;
            }

            @Override
            public void handleTimeout() {
                timeouts.incrementAndGet();
            }
        }) {
            server.handleRequest(); // nothing waiting: times out at once
            assertEquals(1, timeouts.get());
            assertEquals(0, handled.get());

            // connect() returns once the connection is in the accept queue: it is waiting now
            try (SocketChannel client = SocketChannel.open(server.serverAddress())) {
                assertTrue(client.isConnected());
                server.handleRequest(); // synchronous: the handler has run when this returns
                assertEquals(1, handled.get(), "the waiting request was handled");
            }
            assertEquals(1, timeouts.get(), "without a timeout");
        }
    }

    @Test
    void handleRequestWithoutATimeoutWaitsForARequest() throws Exception {
        CountDownLatch handled = new CountDownLatch(1);
        try (TCPServer server = new TCPServer(loopback(), () -> new BaseRequestHandler<SocketChannel>() {
            @Override
            protected void handle() {
                handled.countDown();
            }
        })) {
            Thread loop = Thread.ofPlatform().start(() -> {
                try {
                    server.handleRequest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            SocketChannel.open(server.serverAddress()).close();
            loop.join(PATIENCE);
            assertFalse(loop.isAlive());
            assertEquals(0, handled.getCount());
        }
    }

    @Test
    void serverCloseFromAnotherThreadWakesHandleRequestWithoutATimeout() throws Exception {
        assertServerCloseWakesHandleRequest(null);
    }

    @Test
    void serverCloseFromAnotherThreadWakesHandleRequestBeforeItsTimeout() throws Exception {
        assertServerCloseWakesHandleRequest(Duration.ofMinutes(10));
    }

    /** Python blocks here (until the timeout, or forever); the Java server wakes and throws. */
    private void assertServerCloseWakesHandleRequest(Duration timeout) throws Exception {
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        TCPServer server = new TCPServer(loopback(), () -> new BaseRequestHandler<SocketChannel>() {
            @Override
            protected void handle() {
                handled.incrementAndGet();
            }
        }) {
            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public void handleTimeout() {
                timeouts.incrementAndGet();
            }
        };
        Thread waiter = Thread.ofPlatform().name("handle-request").daemon(true).start(() -> {
            try {
                server.handleRequest();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        try {
            await().atMost(PATIENCE).until(() -> TestNet.isWaitingOnASelector(waiter));
            server.serverClose();
            waiter.join(PATIENCE); // woken at once: the join timeout is far below the request timeout
            assertFalse(waiter.isAlive(), "handleRequest() was not woken by serverClose()");
        } finally {
            server.serverClose();
        }
        assertInstanceOf(ClosedChannelException.class, thrown.get());
        assertEquals(0, handled.get());
        assertEquals(0, timeouts.get(), "a close is not a timeout");
        assertThrows(ClosedChannelException.class, server::handleRequest, "and so does a call after the close");
    }

    @Test
    void shutdownFromAHandlerOfASynchronousServerStopsTheLoopWithoutDeadlock() throws Exception {
        AtomicInteger shutdownReturned = new AtomicInteger();
        try (TCPServer server = recordingServer(() -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                server().shutdown(); // on serveForever's own thread: Python would deadlock here
                shutdownReturned.incrementAndGet();
                wfile().write("bye\n".getBytes(StandardCharsets.UTF_8));
            }
        })) {
            BackgroundServing serving = BackgroundServing.start(server);
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                assertEquals("bye\n", TestNet.readLineString(Channels.newInputStream(client)));
            }
            serving.join(); // ends by itself, after the current request
            assertEquals(1, shutdownReturned.get());
        }
        errors.assertNone();
    }

    @Test
    void shutdownWithNoServeForeverRunningReturnsAndTheNextLoopEndsAtOnce() throws Exception {
        try (TCPServer server = recordingServer(EchoLineHandler::new)) {
            Thread caller = Thread.ofPlatform().start(server::shutdown);
            caller.join(PATIENCE);
            assertFalse(caller.isAlive(), "shutdown() without a loop returned (Python hangs here)");

            // As in Python's start-up race (issue 2302): the request stands, the next loop ends at once.
            BackgroundServing serving = BackgroundServing.start(server);
            serving.join();

            // and the request is used up: the server can be served again
            try (BackgroundServing again = BackgroundServing.start(server)) {
                TestNet.streamExamine(server.serverAddress());
                again.stop();
            }
        }
        errors.assertNone();
    }

    @Test
    void serveForeverCanBeCalledAgainAfterShutdown() throws Exception {
        try (TCPServer server = recordingServer(EchoLineHandler::new)) {
            for (int round = 0; round < 3; round++) {
                try (BackgroundServing serving = BackgroundServing.start(server)) {
                    TestNet.streamExamine(server.serverAddress());
                    serving.stop();
                }
            }
        }
        errors.assertNone();
    }

    @Test
    void aSecondConcurrentServeForeverIsRefused() throws Exception {
        try (TCPServer server = recordingServer(EchoLineHandler::new);
             BackgroundServing serving = BackgroundServing.start(server)) {
            TestNet.streamExamine(server.serverAddress()); // the first loop is running now
            assertThrows(IllegalStateException.class, () -> server.serveForever(POLL));
            TestNet.streamExamine(server.serverAddress()); // and is unharmed
            serving.stop();
        }
        errors.assertNone();
    }

    @Test
    void serverCloseFromAnotherThreadEndsServeForever() throws Exception {
        TCPServer server = recordingServer(EchoLineHandler::new);
        BackgroundServing serving = BackgroundServing.start(server, Duration.ofMinutes(5));
        TestNet.streamExamine(server.serverAddress());
        serving.awaitWaitingForRequests();
        server.serverClose();
        serving.join(); // woken at once: the join timeout (60 s) is far below the poll interval
        assertFalse(server.fileno().isOpen());
        errors.assertNone();
    }

    @Test
    void shutdownWakesALoopWithALongPollInterval() throws Exception {
        try (TCPServer server = recordingServer(EchoLineHandler::new)) {
            BackgroundServing serving = BackgroundServing.start(server, Duration.ofMinutes(5));
            TestNet.streamExamine(server.serverAddress());
            serving.awaitWaitingForRequests();
            serving.stop(); // bounded by the join timeout (60 s), far below the poll interval
        }
    }

    @Test
    void serviceActionsRunOnEveryIdleIteration() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        try (TCPServer server = new TCPServer(loopback(), EchoLineHandler::new) {
            @Override
            public void serviceActions() {
                actions.incrementAndGet();
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            await().atMost(PATIENCE).until(() -> actions.get() >= 3);
            serving.stop();
        }
    }

    @Test
    void serveForeverTakesOneRequestPerWakeUpAsPythonDoes() throws Exception {
        assertEquals(1, requestsTakenInTheFirstWakeUp(0), "the default: one per wake-up");
    }

    @Test
    void requestsPerWakeUpTakesTheWaitingRequestsAtOnce() throws Exception {
        assertEquals(5, requestsTakenInTheFirstWakeUp(8), "all five waiting connections, in one wake-up");
        assertEquals(3, requestsTakenInTheFirstWakeUp(3), "at most requestsPerWakeup");
    }

    /**
     * Five clients connect before {@code serveForever} starts (their handshakes wait in the
     * backlog); returns how many requests the loop had taken when it first ran
     * {@code serviceActions}, which it does once per wake-up. {@code perWakeUp} 0: the default.
     */
    private int requestsTakenInTheFirstWakeUp(int perWakeUp) throws Exception {
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger atFirstActions = new AtomicInteger(-1);
        try (TCPServer server = new TCPServer(loopback(), () -> new BaseRequestHandler<SocketChannel>() {
            @Override
            protected void handle() {
            }
        }) {
            @Override
            public boolean verifyRequest(SocketChannel request, SocketAddress clientAddress) {
                taken.incrementAndGet();
                return true;
            }

            @Override
            public int requestsPerWakeup() {
                return perWakeUp == 0 ? super.requestsPerWakeup() : perWakeUp;
            }

            @Override
            public void serviceActions() {
                if (taken.get() > 0) {
                    atFirstActions.compareAndSet(-1, taken.get());
                }
            }
        }) {
            List<SocketChannel> clients = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    clients.add(SocketChannel.open(server.serverAddress()));
                }
                try (BackgroundServing serving = BackgroundServing.start(server)) {
                    await().atMost(PATIENCE).until(() -> taken.get() == 5);
                    serving.stop();
                }
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
        }
        return atFirstActions.get();
    }

    @Test
    void refusedClientSeesEofAndNoHandlerRuns() throws Exception {
        AtomicInteger handlerRuns = new AtomicInteger();
        try (TCPServer server = new TCPServer(loopback(), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                handlerRuns.incrementAndGet();
                wfile().write("served\n".getBytes(StandardCharsets.UTF_8));
            }
        }) {
            @Override
            public boolean verifyRequest(SocketChannel request, SocketAddress clientAddress) {
                return false;
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                assertEquals(-1, Channels.newInputStream(client).read(), "EOF at once");
            }
            serving.stop();
        }
        assertEquals(0, handlerRuns.get());
    }

    @Test
    void handlerExceptionGoesToHandleErrorAndTheServerServesTheNextClient() throws Exception {
        assertHandlerErrorDoesNotStopTheServer(RequestProcessing.synchronous());
    }

    @Test
    void handlerExceptionOnAThreadGoesToHandleErrorAndTheServerServesTheNextClient() throws Exception {
        assertHandlerErrorDoesNotStopTheServer(Threading.virtual());
    }

    private void assertHandlerErrorDoesNotStopTheServer(RequestProcessing processing) throws Exception {
        try (TCPServer server = new TCPServer(loopback(), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                byte[] line = rfile().readline();
                if (new String(line, StandardCharsets.UTF_8).equals("boom\n")) {
                    throw new IllegalStateException("boom");
                }
                wfile().write(line);
            }
        }, processing) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
                super.handleError(request, clientAddress, error); // the real logging path runs too
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                Channels.newOutputStream(client).write("boom\n".getBytes(StandardCharsets.UTF_8));
                assertEquals(-1, Channels.newInputStream(client).read(), "the failed request is closed");
            }
            await().atMost(PATIENCE).until(() -> errors.count() == 1);
            assertInstanceOf(IllegalStateException.class, errors.errors().get(0));
            assertNotEquals(null, errors.all().get(0).clientAddress());
            TestNet.streamExamine(server.serverAddress());
            TestNet.streamExamine(server.serverAddress());
            serving.stop();
        }
        assertEquals(1, errors.count());
    }

    @Test
    void handlerHooksRunInOrderAndFinishRunsEvenWhenHandleThrows() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        try (TCPServer server = new TCPServer(loopback(), () -> new BaseRequestHandler<SocketChannel>() {
            @Override
            protected void setup() {
                calls.add("setup " + (request() != null) + " " + (clientAddress() != null) + " " + (server() != null));
            }

            @Override
            protected void handle() {
                calls.add("handle");
                throw new IllegalStateException("handle failed");
            }

            @Override
            protected void finish() {
                calls.add("finish");
            }
        }) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                calls.add("handleError " + error.getMessage());
            }
        }) {
            SocketChannel.open(server.serverAddress()).close();
            server.handleRequest();
        }
        assertEquals(List.of("setup true true true", "handle", "finish", "handleError handle failed"), calls);
    }

    @Test
    void setupThatThrowsSkipsHandleAndFinish() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        try (TCPServer server = new TCPServer(loopback(), () -> new BaseRequestHandler<SocketChannel>() {
            @Override
            protected void setup() {
                calls.add("setup");
                throw new IllegalStateException("setup failed");
            }

            @Override
            protected void handle() {
                calls.add("handle");
            }

            @Override
            protected void finish() {
                calls.add("finish");
            }
        }) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                calls.add("handleError " + error.getMessage());
            }
        }) {
            SocketChannel.open(server.serverAddress()).close();
            server.handleRequest();
        }
        assertEquals(List.of("setup", "handleError setup failed"), calls);
    }

    @Test
    void requestHooksRunInPythonsOrder() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        try (TCPServer server = new TCPServer(loopback(), () -> new BaseRequestHandler<SocketChannel>() {
            @Override
            protected void handle() {
                calls.add("handle");
            }
        }) {
            @Override
            public ReceivedRequest<SocketChannel> getRequest() throws java.io.IOException {
                ReceivedRequest<SocketChannel> received = super.getRequest();
                calls.add("getRequest");
                return received;
            }

            @Override
            public boolean verifyRequest(SocketChannel request, SocketAddress clientAddress) {
                calls.add("verifyRequest");
                return true;
            }

            @Override
            public void processRequest(SocketChannel request, SocketAddress clientAddress) throws Exception {
                calls.add("processRequest");
                super.processRequest(request, clientAddress);
            }

            @Override
            public void finishRequest(SocketChannel request, SocketAddress clientAddress) throws Exception {
                calls.add("finishRequest");
                super.finishRequest(request, clientAddress);
            }

            @Override
            public void shutdownRequest(SocketChannel request) {
                calls.add("shutdownRequest");
                super.shutdownRequest(request);
                assertFalse(request.isOpen(), "shutdownRequest closed the connection");
            }

            @Override
            public void closeRequest(SocketChannel request) {
                calls.add("closeRequest");
                super.closeRequest(request);
            }
        }) {
            SocketChannel.open(server.serverAddress()).close();
            server.handleRequest();
        }
        assertEquals(List.of("getRequest", "verifyRequest", "processRequest", "finishRequest", "handle",
                "shutdownRequest", "closeRequest"), calls);
    }

    @Test
    void aHandlerInstanceHandlesExactlyOneRequest() throws Exception {
        BaseRequestHandler<SocketChannel> shared = new BaseRequestHandler<>() {
        };
        try (TCPServer server = recordingServer(() -> shared)) {
            for (int i = 0; i < 2; i++) {
                SocketChannel.open(server.serverAddress()).close();
                server.handleRequest();
            }
        }
        assertEquals(1, errors.count(), "the second run of the same handler is refused");
        assertInstanceOf(IllegalStateException.class, errors.errors().get(0));
    }

    @Test
    void bindAndActivateFalseLeavesTheSocketUnboundUntilTheHooksAreCalled() throws Exception {
        try (TCPServer server = new TCPServer(loopback(), EchoLineHandler::new, false)) {
            assertEquals(null, server.socket().getLocalAddress(), "not bound yet");
            server.serverBind();
            server.serverActivate();
            assertEquals(server.socket().getLocalAddress(), server.serverAddress());
            assertNotEquals(0, ((InetSocketAddress) server.serverAddress()).getPort(), "port 0 resolved");
            try (BackgroundServing serving = BackgroundServing.start(server)) {
                TestNet.streamExamine(server.serverAddress());
                serving.stop();
            }
        }
    }

    @Test
    void datagramLongerThanMaxPacketSizeIsTruncatedToIt() throws Exception {
        AtomicReference<Integer> received = new AtomicReference<>();
        try (UDPServer server = new UDPServer(loopback(), () -> new DatagramRequestHandler() {
            @Override
            protected void handle() {
                received.set(packet().length);
            }
        })) {
            assertEquals(8192, server.maxPacketSize());
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try (var client = new java.net.DatagramSocket(new InetSocketAddress(address.getAddress(), 0))) {
                client.send(new java.net.DatagramPacket(new byte[9000], 9000, address));
                server.handleRequest();
            }
        }
        assertEquals(8192, received.get());
    }

    @Test
    void datagramHandlerAlwaysReplies_evenEmptyAndEvenAfterHandleThrew() throws Exception {
        try (UDPServer server = new UDPServer(loopback(), () -> new DatagramRequestHandler() {
            @Override
            protected void handle() throws Exception {
                String text = new String(packet(), StandardCharsets.UTF_8);
                if (text.startsWith("fail")) {
                    wfile().write("partial".getBytes(StandardCharsets.UTF_8));
                    throw new IllegalStateException("fail");
                }
                // "silent": writes nothing
            }
        }) {
            @Override
            public void handleError(DatagramRequest request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        }) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try (var client = new java.net.DatagramSocket(new InetSocketAddress(address.getAddress(), 0))) {
                client.setSoTimeout((int) PATIENCE.toMillis());
                byte[] buffer = new byte[100];

                client.send(new java.net.DatagramPacket("silent".getBytes(StandardCharsets.UTF_8), 6, address));
                server.handleRequest();
                var reply = new java.net.DatagramPacket(buffer, buffer.length);
                client.receive(reply);
                assertEquals(0, reply.getLength(), "an empty datagram, as in Python");

                client.send(new java.net.DatagramPacket("fail".getBytes(StandardCharsets.UTF_8), 4, address));
                server.handleRequest();
                reply = new java.net.DatagramPacket(buffer, buffer.length);
                client.receive(reply);
                assertEquals("partial", new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(1, errors.count());
    }

    @Test
    void streamHandlerReadsManyLinesUntilEof() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (TCPServer server = recordingServer(() -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                for (byte[] line = rfile().readline(); line.length > 0; line = rfile().readline()) {
                    lines.add(new String(line, StandardCharsets.UTF_8));
                    wfile().write(line);
                }
            }
        }); BackgroundServing serving = BackgroundServing.start(server)) {
            try (SocketChannel client = TestNet.connect(server.serverAddress())) {
                OutputStream out = Channels.newOutputStream(client);
                InputStream in = Channels.newInputStream(client);
                for (int i = 0; i < 5; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    assertEquals("line " + i + "\n", TestNet.readLineString(in));
                }
                client.shutdownOutput();
                assertEquals(-1, in.read(), "server closes after EOF");
            }
            serving.stop();
        }
        assertEquals(List.of("line 0\n", "line 1\n", "line 2\n", "line 3\n", "line 4\n"), lines);
        errors.assertNone();
    }
}
