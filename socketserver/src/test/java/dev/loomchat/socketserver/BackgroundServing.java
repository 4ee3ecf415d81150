package dev.loomchat.socketserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code serveForever(poll)} on a background platform thread, as Python's {@code run_server}
 * does; {@link #stop()} is {@code shutdown()} + a bounded join, and reports anything the loop threw.
 */
final class BackgroundServing implements AutoCloseable {

    private final BaseServer<?> server;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private BackgroundServing(BaseServer<?> server, Duration pollInterval) {
        this.server = server;
        this.thread = Thread.ofPlatform().name("serve-forever").daemon(true).unstarted(() -> {
            try {
                server.serveForever(pollInterval);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    /** Starts {@code serveForever(10 ms)} on a new thread. */
    static BackgroundServing start(BaseServer<?> server) {
        return start(server, TestNet.POLL);
    }

    static BackgroundServing start(BaseServer<?> server, Duration pollInterval) {
        BackgroundServing serving = new BackgroundServing(server, pollInterval);
        serving.thread.start();
        return serving;
    }

    Thread thread() {
        return thread;
    }

    /**
     * Waits until the loop is blocked waiting on its selector (seen in the thread's stack), so
     * that what the test does next has to wake it.
     */
    void awaitWaitingForRequests() {
        await().atMost(TestNet.PATIENCE).until(() -> TestNet.isWaitingOnASelector(thread));
    }

    /** Joins the serving thread (bounded) and fails if it is still running or threw. */
    void join() throws InterruptedException {
        thread.join(TestNet.PATIENCE);
        assertFalse(thread.isAlive(), "serveForever did not return");
        Throwable t = failure.get();
        if (t != null) {
            fail("serveForever threw", t);
        }
    }

    /**
     * {@code shutdown()}, then {@link #join()}. The shutdown runs on a helper thread with a
     * bounded join: {@code shutdown()} waits uninterruptibly, so a loop that never ends must fail
     * the test rather than hang it.
     */
    void stop() throws InterruptedException {
        Thread stopper = Thread.ofPlatform().name("shutdown").daemon(true).start(server::shutdown);
        stopper.join(TestNet.PATIENCE);
        assertFalse(stopper.isAlive(), "shutdown() did not return");
        join();
    }

    /**
     * Makes sure the loop ends even when a test failed half-way: closes the server, which also
     * ends the loop (idempotent; a {@code shutdown()} here could wait forever on a broken loop).
     */
    @Override
    public void close() {
        if (thread.isAlive()) {
            server.serverClose();
            try {
                thread.join(TestNet.PATIENCE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
