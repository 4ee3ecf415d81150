package dev.loomchat.server;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the server's essential threads (the accept loops, the keepalive and stats timers, the
 * cluster bus's reader and heartbeat): a server that lost one of them would run on without it,
 * accepting or serving no one, so the first one to die with an exception or error (an
 * {@link OutOfMemoryError} included) makes the server fail: it is logged, the server reports
 * itself {@linkplain #failed() failed} (new connections and the health check are told
 * {@code unavailable}), and the {@code onFatal} action runs, which for {@code loomchat server}
 * shuts down and exits with status {@value #EXIT_STATUS}, so that a supervisor restarts it.
 *
 * <p>Threading: any thread; {@code onFatal} runs once, on the thread that failed.
 */
public final class Supervisor {

    /** The exit status of a server whose essential thread died ({@code EX_SOFTWARE}). */
    public static final int EXIT_STATUS = 70;

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final Consumer<Throwable> onFatal;
    private final AtomicReference<String> failure = new AtomicReference<>();

    /** @param onFatal what to do when an essential thread died (given what killed it) */
    public Supervisor(Consumer<Throwable> onFatal) {
        this.onFatal = onFatal;
    }

    /** {@code task} as an essential thread's body: if it throws, the server fails. */
    public Runnable essential(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                fail(name, t);
            }
        };
    }

    /** The server cannot go on: {@code name} died of {@code cause}. Only the first call acts. */
    void fail(String name, Throwable cause) {
        if (failure.compareAndSet(null, name)) {
            LOG.error("essential thread {} died; the server can no longer serve and stops", name, cause);
            onFatal.accept(cause);
        }
    }

    /** Why the server failed ("essential thread NAME died"), or {@code null} while it is sound. */
    String failed() {
        String name = failure.get();
        return name == null ? null : "essential thread " + name + " died";
    }
}
