package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Port of CPython's {@code test_socketserver.ErrorHandlerTest}: an {@link Exception} from a
 * handler reaches {@code handleError} and the server goes on; Python's {@code SystemExit} (a
 * {@code BaseException} that is not an {@code Exception}) maps to a Java {@link Error}, which does
 * not reach {@code handleError}: on a synchronous server it propagates out of
 * {@code handleRequest}; on a threading server it reaches the handler thread's uncaught-exception
 * handler (Python: {@code threading.excepthook}), observed here through a temporarily installed
 * default handler.
 *
 * <p>{@code test_forking_handled} and {@code test_forking_not_handled}: the handler runs in a
 * child JVM, so, as in Python, it logs to a file both processes know, and the child's
 * {@code handleError} (the default: logged to the child's standard error, which the parent
 * copies) is what "Error handled" becomes; the parent logs the child's exit status (1 either way,
 * as Python's child exits 1).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ErrorHandlerTest {

    /** Python's {@code SystemExit}: not an {@link Exception}, so not for {@code handleError}. */
    static final class SystemExit extends Error {
        SystemExit() {
            super("SystemExit (test)");
        }
    }

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);

    /** Python's {@code BadHandler}: logs, then raises. */
    private BaseRequestHandler<SocketChannel> badHandler(Supplier<? extends Throwable> error) {
        return new BaseRequestHandler<>() {
            @Override
            protected void handle() throws Exception {
                log.add("Handler called");
                Throwable t = error.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (Exception) t;
            }
        };
    }

    /**
     * Python's {@code BaseErrorTestServer}: a TCP server with {@code BadHandler} that logs
     * "Error handled" in {@code handleError} and signals {@link #done} in {@code shutdownRequest};
     * one client connects and closes; one {@code handleRequest()}; then {@code serverClose()}.
     */
    private void runErrorTestServer(RequestProcessing processing, Supplier<? extends Throwable> error) throws Exception {
        try (TCPServer server = new TCPServer(loopback(), () -> badHandler(error), processing) {
            @Override
            public void handleError(SocketChannel request, SocketAddress clientAddress, Exception e) {
                log.add("Error handled");
            }

            @Override
            public void shutdownRequest(SocketChannel request) {
                super.shutdownRequest(request);
                done.countDown();
            }
        }) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            new Socket(address.getAddress(), address.getPort()).close();
            server.handleRequest();
        }
        assertTrue(done.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "request shut down");
    }

    @Test
    @DisplayName("ErrorHandlerTest.test_sync_handled")
    void synchronousHandlerExceptionIsHandledByHandleError() throws Exception {
        runErrorTestServer(RequestProcessing.synchronous(), () -> new IllegalArgumentException("ValueError"));
        assertEquals(List.of("Handler called", "Error handled"), log);
    }

    @Test
    @DisplayName("ErrorHandlerTest.test_sync_not_handled")
    void synchronousHandlerErrorPropagatesWithoutHandleError() {
        assertThrows(SystemExit.class, () -> runErrorTestServer(RequestProcessing.synchronous(), SystemExit::new));
        assertEquals(List.of("Handler called"), log);
        assertEquals(0, done.getCount(), "the request was still shut down");
    }

    @Test
    @DisplayName("ErrorHandlerTest.test_threading_handled")
    void threadingHandlerExceptionIsHandledByHandleError() throws Exception {
        runErrorTestServer(Threading.virtual(), () -> new IllegalArgumentException("ValueError"));
        assertEquals(List.of("Handler called", "Error handled"), log);
    }

    @Test
    @DisplayName("ErrorHandlerTest.test_threading_not_handled")
    void threadingHandlerErrorReachesTheUncaughtExceptionHandlerNotHandleError() throws Exception {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        AtomicReference<Thread> uncaughtIn = new AtomicReference<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof SystemExit) {
                uncaughtIn.set(thread);
                uncaught.set(error);
            } else if (previous != null) {
                previous.uncaughtException(thread, error);
            }
        });
        try {
            runErrorTestServer(Threading.virtual(), SystemExit::new);
            await().atMost(PATIENCE).until(() -> uncaught.get() != null);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertInstanceOf(SystemExit.class, uncaught.get());
        assertTrue(uncaughtIn.get().isVirtual(), "raised in the virtual handler thread: " + uncaughtIn.get());
        assertEquals(List.of("Handler called"), log);
    }

    // ------------------------------------------------------------------ forking: the handler runs in a child JVM

    /** Python's log file ({@code support.TESTFN}): child and parent agree on it through the server's port. */
    static Path forkLogFile(SocketAddress serverAddress) {
        return Path.of(System.getProperty("java.io.tmpdir"),
                "loomchat-errortest-" + ((InetSocketAddress) serverAddress).getPort() + ".log");
    }

    /** Python's {@code BadHandler} in a child: appends "Handler called" to the log file, then raises ValueError. */
    static class ForkedValueErrorHandler extends BaseRequestHandler<SocketChannel> {
        @Override
        protected void handle() throws Exception {
            Files.writeString(forkLogFile(server().serverAddress()), "Handler called\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            throw new IllegalArgumentException("ValueError");
        }
    }

    /** The same, raising Python's SystemExit (an {@link Error}). */
    static class ForkedSystemExitHandler extends BaseRequestHandler<SocketChannel> {
        @Override
        protected void handle() throws Exception {
            Files.writeString(forkLogFile(server().serverAddress()), "Handler called\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            throw new SystemExit();
        }
    }

    /**
     * Python's {@code ForkingErrorTestServer} run: one client, one {@code handleRequest()}, then
     * {@code serverClose()} (which waits for the child). Returns what reached standard error
     * (the child's, copied by the parent, and the parent's own log) while {@code expected} is awaited.
     */
    private String runForkingErrorTestServer(Class<? extends BaseRequestHandler<SocketChannel>> handler,
                                             String expected) throws Exception {
        Path logFile = null;
        try (StandardErrorCapture stderr = new StandardErrorCapture()) {
            try (ForkingTCPServer server = new ForkingTCPServer(loopback(), handler)) {
                logFile = forkLogFile(server.serverAddress());
                InetSocketAddress address = (InetSocketAddress) server.serverAddress();
                new Socket(address.getAddress(), address.getPort()).close();
                server.handleRequest();
            }
            await().atMost(PATIENCE).until(() -> stderr.text().contains(expected));
            log.addAll(Files.readAllLines(logFile));
            return stderr.text();
        } finally {
            if (logFile != null) {
                Files.deleteIfExists(logFile);
            }
        }
    }

    @Test
    @DisplayName("ErrorHandlerTest.test_forking_handled")
    void forkingHandlerExceptionIsHandledInTheChildWhichExitsWithStatus1() throws Exception {
        String stderr = runForkingErrorTestServer(ForkedValueErrorHandler.class, "exited with status 1");
        assertEquals(List.of("Handler called"), log);
        assertTrue(stderr.contains("Exception occurred during processing of request"),
                "the child's handleError reported it (Python: 'Error handled'): " + stderr);
        assertTrue(stderr.contains("ValueError"), stderr);
    }

    @Test
    @DisplayName("ErrorHandlerTest.test_forking_not_handled")
    void forkingHandlerErrorIsNotHandledAndEndsOnlyTheChild() throws Exception {
        String stderr = runForkingErrorTestServer(ForkedSystemExitHandler.class, "exited with status 1");
        assertEquals(List.of("Handler called"), log);
        assertTrue(stderr.contains("SystemExit (test)"), "the Error ended the child: " + stderr);
        assertFalse(stderr.contains("Exception occurred during processing of request"),
                "handleError was not called for an Error: " + stderr);
    }
}
