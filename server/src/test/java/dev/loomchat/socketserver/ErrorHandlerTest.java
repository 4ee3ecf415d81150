package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
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
 * <p>Not ported: {@code test_forking_handled} and {@code test_forking_not_handled} (the JVM
 * cannot fork; forking is its own issue). They are kept as tests that the forking strategy fails
 * with an {@link UnsupportedOperationException} saying why.
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

    @Test
    @DisplayName("ErrorHandlerTest.test_forking_handled")
    void forkingIsNotAvailableYetForHandledErrors() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> runErrorTestServer(Forking.processPerRequest(), () -> new IllegalArgumentException("ValueError")));
        assertTrue(e.getMessage().contains("fork"), e.getMessage());
        assertEquals(List.of(), log);
    }

    @Test
    @DisplayName("ErrorHandlerTest.test_forking_not_handled")
    void forkingIsNotAvailableYetForUnhandledErrors() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> runErrorTestServer(Forking.processPerRequest(), SystemExit::new));
        assertTrue(e.getMessage().contains("fork"), e.getMessage());
        assertEquals(List.of(), log);
    }

}
