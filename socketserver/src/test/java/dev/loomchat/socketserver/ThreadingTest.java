package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Threading}, Python's {@code ThreadingMixIn}: virtual or platform threads,
 * {@code blockOnClose} (serverClose waits for running handlers), {@code daemonThreads} (it does
 * not), and a handler that closes its own server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadingTest {

    private final HandlerErrors errors = new HandlerErrors();
    private final CountDownLatch handlerRunning = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<Thread> handlerThread = new AtomicReference<>();

    /** A handler that signals it runs, then blocks until {@link #release}. */
    private BaseRequestHandler<SocketChannel> blockingHandler() {
        return new BaseRequestHandler<>() {
            @Override
            protected void handle() throws Exception {
                handlerThread.set(Thread.currentThread());
                handlerRunning.countDown();
                assertTrue(release.await(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS), "released");
            }
        };
    }

    private ThreadingTCPServer server(Threading threading) throws Exception {
        return new ThreadingTCPServer(loopback(), this::blockingHandler, threading, true) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        };
    }

    /** Starts one request whose handler blocks; returns once the handler runs. */
    private SocketChannel startBlockedRequest(ThreadingTCPServer server) throws Exception {
        SocketChannel client = TestNet.connect(server.serverAddress());
        server.handleRequest();
        assertTrue(handlerRunning.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "handler started");
        return client;
    }

    @Test
    void serverCloseWaitsForARunningHandlerByDefault() throws Exception {
        ThreadingTCPServer server = server(Threading.virtual());
        assertTrue(server.threading().blockOnClose(), "Python's default block_on_close = True");
        assertFalse(server.threading().daemonThreads(), "Python's default daemon_threads = False");
        try (SocketChannel client = startBlockedRequest(server)) {
            assertTrue(client.isConnected());
            assertEquals(1, server.threading().liveThreadCount());
            Thread closer = Thread.ofPlatform().name("closer").start(server::serverClose);
            // The closer closes the socket first, then joins the handler: wait until it got there.
            await().atMost(PATIENCE).until(() -> !server.fileno().isOpen());
            await().atMost(PATIENCE).until(() -> closer.getState() == Thread.State.WAITING
                    || closer.getState() == Thread.State.TERMINATED);
            assertTrue(closer.isAlive(), "serverClose returned while a handler was still running");
            assertTrue(handlerThread.get().isAlive());

            release.countDown();
            closer.join(PATIENCE);
            assertFalse(closer.isAlive(), "serverClose returned once the handler finished");
            assertFalse(handlerThread.get().isAlive(), "serverClose returned only after the handler thread ended");
            assertEquals(0, server.threading().liveThreadCount());
        } finally {
            release.countDown();
            server.serverClose();
        }
        errors.assertNone();
    }

    @Test
    void serverCloseDoesNotWaitForDaemonThreads() throws Exception {
        assertServerCloseDoesNotWait(Threading.virtual().withDaemonThreads(true));
    }

    @Test
    void serverCloseDoesNotWaitWithBlockOnCloseOff() throws Exception {
        assertServerCloseDoesNotWait(Threading.virtual().withBlockOnClose(false));
    }

    @Test
    void serverCloseDoesNotWaitForDaemonPlatformThreads() throws Exception {
        assertServerCloseDoesNotWait(Threading.platform().withDaemonThreads(true));
        assertTrue(handlerThread.get().isDaemon(), "daemon_threads makes platform threads daemon");
    }

    private void assertServerCloseDoesNotWait(Threading threading) throws Exception {
        ThreadingTCPServer server = server(threading);
        try (SocketChannel client = startBlockedRequest(server)) {
            assertTrue(client.isConnected());
            Thread closer = Thread.ofPlatform().name("closer").start(server::serverClose);
            closer.join(PATIENCE);
            assertFalse(closer.isAlive(), "serverClose returned");
            assertEquals(1, release.getCount(), "the handler had not been released");
            assertTrue(handlerThread.get().isAlive(), "while the handler was still running");
            assertFalse(server.fileno().isOpen());
        } finally {
            release.countDown();
            server.serverClose();
        }
        await().atMost(PATIENCE).until(() -> !handlerThread.get().isAlive());
        errors.assertNone();
    }

    @Test
    void virtualThreadingRunsEachHandlerOnItsOwnVirtualThread() throws Exception {
        assertHandlerThreads(Threading.virtual(), true);
    }

    @Test
    void platformThreadingRunsEachHandlerOnItsOwnPlatformThread() throws Exception {
        assertHandlerThreads(Threading.platform(), false);
    }

    private void assertHandlerThreads(Threading threading, boolean virtual) throws Exception {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        try (ThreadingTCPServer server = new ThreadingTCPServer(loopback(), () -> new EchoLineHandler() {
            @Override
            protected void handle() throws Exception {
                threads.add(Thread.currentThread());
                super.handle();
            }
        }, threading, true); BackgroundServing serving = BackgroundServing.start(server)) {
            assertEquals(virtual, server.threading().isVirtual());
            for (int i = 0; i < 3; i++) {
                TestNet.streamExamine(server.serverAddress());
            }
            serving.stop();
            assertFalse(threads.contains(serving.thread()));
        }
        assertEquals(3, threads.size(), "a new thread per request");
        for (Thread thread : threads) {
            assertEquals(virtual, thread.isVirtual(), thread.toString());
        }
    }

    @Test
    void handlersRunConcurrently() throws Exception {
        int clients = 20;
        CountDownLatch allInside = new CountDownLatch(clients);
        try (ThreadingTCPServer server = new ThreadingTCPServer(loopback(), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                allInside.countDown();
                // every handler waits for all the others: only possible if they run at once
                assertTrue(allInside.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
                wfile().write("all here\n".getBytes(StandardCharsets.UTF_8));
            }
        }) {
            @Override
            public int requestQueueSize() {
                return 64; // all clients connect at once; Python's 5 would make the kernel drop SYNs
            }

            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        }; BackgroundServing serving = BackgroundServing.start(server)) {
            SocketChannel[] open = new SocketChannel[clients];
            try {
                for (int i = 0; i < clients; i++) {
                    open[i] = TestNet.connect(server.serverAddress());
                }
                for (SocketChannel client : open) {
                    assertEquals("all here\n", TestNet.readLineString(Channels.newInputStream(client)));
                }
            } finally {
                for (SocketChannel client : open) {
                    if (client != null) {
                        client.close();
                    }
                }
            }
            serving.stop();
        }
        errors.assertNone();
    }

    /**
     * A handler that closes its own server (e.g. a "quit" command) must not wait for itself:
     * {@code Thread.join} on the current thread never returns. Python raises "cannot join current
     * thread" there; Java skips the calling thread and waits for the others.
     */
    @Test
    void aHandlerThatClosesItsOwnServerDoesNotDeadlock() throws Exception {
        AtomicReference<Boolean> closeReturned = new AtomicReference<>(false);
        ThreadingTCPServer server = new ThreadingTCPServer(loopback(), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                handlerThread.set(Thread.currentThread());
                rfile().readline();
                server().shutdown();
                server().serverClose();
                closeReturned.set(true);
                wfile().write("closed\n".getBytes(StandardCharsets.UTF_8));
            }
        }) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                errors.add(clientAddress, error);
            }
        };
        try (BackgroundServing serving = BackgroundServing.start(server)) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                client.setSoTimeout((int) PATIENCE.toMillis()); // a deadlocked handler never answers
                client.getOutputStream().write("quit\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("closed\n", TestNet.readLineString(client.getInputStream()));
            }
            serving.join();
            assertTrue(closeReturned.get());
            assertFalse(server.fileno().isOpen());
            await().atMost(PATIENCE).until(() -> server.threading().liveThreadCount() == 0);
        } finally {
            Thread stuck = handlerThread.get();
            if (stuck != null && stuck.isAlive()) {
                stuck.interrupt(); // a handler stuck joining itself: let the test end (and fail)
            }
            server.serverClose();
        }
        errors.assertNone();
    }

    @Test
    void daemonThreadsAreNotTracked() throws Exception {
        ThreadingTCPServer server = server(Threading.virtual().withDaemonThreads(true));
        try (SocketChannel client = startBlockedRequest(server)) {
            assertTrue(client.isConnected());
            assertEquals(0, server.threading().liveThreadCount(), "Python's _threads ignores daemon threads");
        } finally {
            release.countDown();
            server.serverClose();
        }
    }

    @Test
    void threadsAreNotTrackedWithoutBlockOnClose() throws Exception {
        ThreadingTCPServer server = server(Threading.virtual().withBlockOnClose(false));
        try (SocketChannel client = startBlockedRequest(server)) {
            assertTrue(client.isConnected());
            assertEquals(0, server.threading().liveThreadCount(), "Python keeps _NoThreads without block_on_close");
        } finally {
            release.countDown();
            server.serverClose();
        }
    }

    @Test
    void eachFactoryCallGivesAFreshStrategy() {
        assertFalse(Threading.virtual() == Threading.virtual(), "a strategy keeps per-server state");
        Threading platform = Threading.platform();
        assertFalse(platform.isVirtual());
        Threading daemon = platform.withDaemonThreads(true);
        assertTrue(daemon.daemonThreads());
        assertFalse(platform.daemonThreads(), "withDaemonThreads returns a copy");
        Threading noBlock = platform.withBlockOnClose(false);
        assertFalse(noBlock.blockOnClose());
        assertTrue(platform.blockOnClose());
    }
}
