package dev.loomchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loomchat.socketserver.BaseServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an example server the way {@code ./loomchat example NAME} does
 * ({@link Serving#serveUntilStopped}) on a background thread, and stops it the way Ctrl-C does
 * ({@link Serving#stop}, what the shutdown hook runs).
 */
final class ExampleServing implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final BaseServer<?> server;
    private final Thread thread;
    private final AtomicReference<Integer> exitCode = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    ExampleServing(BaseServer<?> server) {
        this.server = server;
        this.thread = Thread.ofPlatform().name("example").daemon(true).start(() -> {
            try {
                exitCode.set(Serving.serveUntilStopped(server));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    /** Ctrl-C: stops and closes the server; the example returns exit code 0 and its socket is closed. */
    void stopLikeCtrlC() throws InterruptedException {
        Serving.stop(server);
        thread.join(PATIENCE);
        assertFalse(thread.isAlive(), "the example did not stop");
        if (failure.get() != null) {
            fail("the example failed", failure.get());
        }
        assertEquals(0, exitCode.get());
        assertFalse(server.fileno().isOpen(), "the example closed its socket");
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            Serving.stop(server);
            try {
                thread.join(PATIENCE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
