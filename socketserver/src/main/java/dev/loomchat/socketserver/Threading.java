package dev.loomchat.socketserver;

import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * A thread per request ({@code ThreadingMixIn}), on virtual threads by default.
 *
 * <p>{@link #processRequest} starts a new thread that runs {@link BaseServer#finishRequest},
 * reports an {@link Exception} through {@link BaseServer#handleError} and always ends with
 * {@link BaseServer#shutdownRequest} (Python's {@code process_request_thread}). An
 * {@link Error} is not reported to {@code handleError}: it reaches the thread's uncaught-exception
 * handler, as a {@code BaseException} reaches {@code threading.excepthook} in Python.
 *
 * <p>{@link #daemonThreads()} (default {@code false}) and {@link #blockOnClose()} (default
 * {@code true}) keep Python's meaning: unless threads are daemon or {@code blockOnClose} is off,
 * {@link BaseServer#serverClose()} waits for every running handler thread. Virtual threads never
 * keep the JVM alive, whatever {@code daemonThreads} says; for them it only decides whether
 * {@code serverClose} waits. Only live threads are tracked (each thread removes itself when it
 * ends), so a long-running server does not accumulate finished threads (Python bpo-37193).
 *
 * <p>On one CPU: the JDK's scheduler then has a single carrier thread, and on JDK 25 a newly
 * started virtual thread waits in the scheduler's shared queue until that carrier's own queue is
 * empty. A server saturated by its busy connections may leave the request threads it starts
 * unstarted for as long as the load lasts. An application on one CPU that serves many busy
 * connections should run with {@code -Djdk.virtualThreadScheduler.parallelism=2} (the loomchat
 * server sets it itself); a library does not set process-wide scheduler properties.
 *
 * <p>Threading: {@code processRequest} may be called from any thread; {@code serverClose} joins
 * the threads that are live when it is called. An instance belongs to one server.
 */
public final class Threading implements RequestProcessing {

    private final boolean virtual;
    private final boolean daemonThreads;
    private final boolean blockOnClose;
    // A Thread.Builder is not thread-safe, its factory() is: processRequest may run on any thread.
    private final ThreadFactory threadFactory;
    private final Set<Thread> liveThreads = ConcurrentHashMap.newKeySet();

    private Threading(boolean virtual, boolean daemonThreads, boolean blockOnClose) {
        this.virtual = virtual;
        this.daemonThreads = daemonThreads;
        this.blockOnClose = blockOnClose;
        Thread.Builder builder = virtual
                ? Thread.ofVirtual().name("socketserver-virtual-", 1)
                : Thread.ofPlatform().name("socketserver-thread-", 1).daemon(daemonThreads);
        this.threadFactory = builder.factory();
    }

    /** A new virtual thread per request (the default of the {@code Threading*Server} classes). */
    public static Threading virtual() {
        return new Threading(true, false, true);
    }

    /** A new platform (OS) thread per request, as Python does; for comparison and benchmarks. */
    public static Threading platform() {
        return new Threading(false, false, true);
    }

    /** A copy with {@link #daemonThreads()} set: daemon threads are not waited for on close. */
    public Threading withDaemonThreads(boolean daemon) {
        return new Threading(virtual, daemon, blockOnClose);
    }

    /** A copy with {@link #blockOnClose()} set. */
    public Threading withBlockOnClose(boolean block) {
        return new Threading(virtual, daemonThreads, block);
    }

    /** Whether requests run on virtual threads. */
    public boolean isVirtual() {
        return virtual;
    }

    /** Whether handler threads are daemon threads, which {@code serverClose} does not wait for. */
    public boolean daemonThreads() {
        return daemonThreads;
    }

    /** Whether {@code serverClose} waits for running handler threads. */
    public boolean blockOnClose() {
        return blockOnClose;
    }

    /**
     * How many tracked handler threads are running now. Only the threads {@code serverClose}
     * waits for are tracked: none with {@code daemonThreads} or without {@code blockOnClose}.
     */
    public int liveThreadCount() {
        return liveThreads.size();
    }

    @Override
    public <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) {
        boolean tracked = blockOnClose && !daemonThreads;
        Thread thread = threadFactory.newThread(() -> processRequestThread(server, request, clientAddress, tracked));
        if (tracked) {
            liveThreads.add(thread);
        }
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            liveThreads.remove(thread);
            throw e;
        }
    }

    /** The body of each handler thread. */
    private <R> void processRequestThread(BaseServer<R> server, R request, SocketAddress clientAddress,
                                          boolean tracked) {
        try {
            server.finishRequest(request, clientAddress);
        } catch (Exception e) {
            server.handleError(request, clientAddress, e);
        } finally {
            try {
                server.shutdownRequest(request);
            } finally {
                if (tracked) {
                    liveThreads.remove(Thread.currentThread());
                }
            }
        }
    }

    /**
     * Waits for every tracked handler thread (Python's {@code _threads.join()}), except the
     * calling thread itself: a handler that closes its own server does not wait for itself.
     */
    @Override
    public void serverClose(BaseServer<?> server) {
        if (!blockOnClose) {
            return;
        }
        Thread self = Thread.currentThread();
        for (Thread thread : List.copyOf(liveThreads)) {
            if (thread == self) {
                continue; // Thread.join on itself never returns (Python raises "cannot join current thread")
            }
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return (virtual ? "virtual" : "platform") + " threads"
                + (daemonThreads ? ", daemon" : "") + (blockOnClose ? "" : ", no block on close");
    }
}
