package dev.loomchat.socketserver;

import dev.loomchat.socketserver.fork.ChildProcesses;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Each request handled in a separate OS process ({@code ForkingMixIn}), or by a pre-forked
 * pool of worker processes.
 *
 * <h2>How, without fork()</h2>
 * A JVM cannot {@code fork()} itself, so a child is a new JVM: the same {@code java}, the same
 * class path, {@code ForkedChild} as main class. It calls the server back over an AF_UNIX socket
 * and is handed the request's socket by file-descriptor passing (SCM_RIGHTS, through
 * junixsocket): the child then owns the real connection (or, for a datagram server, a copy of
 * the server socket to reply through, with the packet) and the parent closes its own copy, as
 * after {@code fork()}. The child builds the handler from its class name, so the server's handler
 * must be a {@link NamedHandlerFactory} (the {@code Forking*Server} constructors take the handler
 * class, as Python takes {@code RequestHandlerClass}). In the child, the handler's
 * {@code server()} is a stand-in that knows the server address; hooks overridden in the parent's
 * server class ({@code handleError}, ...) do not run there.
 *
 * <h2>Two ways</h2>
 * <ul>
 *   <li>{@link #processPerRequest()} — Python's semantics: a child per request; at most
 *       {@link #maxChildren()} (40) alive, and when that many are, the server waits for one to
 *       exit ({@link #collectChildren}); exited children are reaped in
 *       {@code serviceActions} (and {@code handleTimeout}), a non-zero exit status logged. A child
 *       exits 0, or 1 if the handler threw (reported in the child by {@code handleError}), or
 *       whatever status the handler passed to {@code System.exit}: a crash ends only its child.
 *       Each request pays a JVM start (see BENCHMARKS.md).</li>
 *   <li>{@link #preforkedPool(int)} — beyond Python: N long-lived worker JVMs, started when the
 *       server activates, each handling one request at a time; requests queue for a free worker.
 *       Process isolation without a JVM start per request. A worker that dies is replaced.</li>
 * </ul>
 * {@link #blockOnClose()} (default {@code true}) makes {@code serverClose()} wait until every
 * child has exited (the pool: until every queued request is answered and the workers stopped),
 * so none is left behind; with it off, children still running finish on their own (it still
 * waits until each child started has taken its request, a JVM start at most: from
 * {@code processRequest} on the request is the child's, as after {@code fork()}; queued pool
 * requests no worker has taken are closed).
 *
 * <h2>Platform</h2>
 * Needs junixsocket's native library (AF_UNIX descriptor passing: Linux, macOS, the BSDs, ...)
 * and the JVM flag {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the JDK exposes a
 * channel's descriptor only internally; {@code ./loomchat} and the tests pass it). Where either is
 * missing, {@link #processPerRequest()} and {@link #preforkedPool} — and so every
 * {@code Forking*Server} constructor — fail at once with an {@link UnsupportedOperationException}
 * that says why.
 *
 * <p>Threading: an instance belongs to one server (make one per server). Its methods are called
 * by the server as {@link RequestProcessing} says; {@link #activeChildren()} and
 * {@link #activeChildCount()} may be called from any thread.
 */
public final class Forking implements RequestProcessing {

    /** The default of {@link #maxChildren()}: 40, as in Python. */
    public static final int DEFAULT_MAX_CHILDREN = 40;

    /**
     * JVM options of per-request children unless {@link #withJvmOptions} says otherwise: they
     * live for one request, so a fast start beats peak speed (C1 only, the serial GC, no perf
     * data file).
     */
    public static final List<String> DEFAULT_CHILD_JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto");

    /** JVM options of pool workers unless {@link #withJvmOptions} says otherwise: long-lived, so none. */
    public static final List<String> DEFAULT_WORKER_JVM_OPTIONS = List.of("-XX:-UsePerfData");

    private final boolean pool;
    private final int children;
    private final boolean blockOnClose;
    private final List<String> jvmOptions;
    private final ChildProcesses engine;

    private Forking(boolean pool, int children, boolean blockOnClose, List<String> jvmOptions) {
        ChildProcesses.requireSupported();
        if (children < 1) {
            throw new IllegalArgumentException((pool ? "pool size" : "maxChildren") + " must be at least 1: " + children);
        }
        this.pool = pool;
        this.children = children;
        this.blockOnClose = blockOnClose;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.engine = pool
                ? ChildProcesses.preforkedPool(this.jvmOptions, blockOnClose, children)
                : ChildProcesses.processPerRequest(this.jvmOptions, blockOnClose, children);
    }

    /**
     * A child JVM per request, as Python's {@code ForkingMixIn}: {@code maxChildren} 40,
     * {@code blockOnClose} on.
     *
     * @throws UnsupportedOperationException where forking cannot work (see the class comment)
     */
    public static Forking processPerRequest() {
        return new Forking(false, DEFAULT_MAX_CHILDREN, true, DEFAULT_CHILD_JVM_OPTIONS);
    }

    /**
     * A pool of {@code workers} long-lived worker JVMs, each handling one request at a time.
     *
     * @throws IllegalArgumentException      if {@code workers} is less than 1
     * @throws UnsupportedOperationException where forking cannot work (see the class comment)
     */
    public static Forking preforkedPool(int workers) {
        return new Forking(true, workers, true, DEFAULT_WORKER_JVM_OPTIONS);
    }

    /**
     * A copy with another {@link #maxChildren()}: how many children may live at once (for a pool:
     * the number of workers).
     */
    public Forking withMaxChildren(int maxChildren) {
        return new Forking(pool, maxChildren, blockOnClose, jvmOptions);
    }

    /** A copy with another {@link #blockOnClose()}. */
    public Forking withBlockOnClose(boolean block) {
        return new Forking(pool, children, block, jvmOptions);
    }

    /**
     * A copy whose child JVMs get {@code options} (e.g. {@code -Xmx64m}) instead of the defaults;
     * the flags forking needs are always added.
     */
    public Forking withJvmOptions(List<String> options) {
        return new Forking(pool, children, blockOnClose, Objects.requireNonNull(options, "options"));
    }

    /** Whether this is {@link #preforkedPool}. */
    public boolean isPreforkedPool() {
        return pool;
    }

    /** How many children may live at once; for a pool, its number of workers. */
    public int maxChildren() {
        return children;
    }

    /** Whether {@code serverClose} waits for the children. */
    public boolean blockOnClose() {
        return blockOnClose;
    }

    /** The options child JVMs get besides the required ones. */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The child processes alive and not yet reaped. */
    public Set<ProcessHandle> activeChildren() {
        return engine.activeChildren();
    }

    /** How many children {@link #activeChildren()} holds. */
    public int activeChildCount() {
        return activeChildren().size();
    }

    /**
     * Waits while {@link #maxChildren()} children are alive,
     * then reaps those that have exited (logging a non-zero status); with {@code blocking}, first
     * waits for every child. A no-op for a pool, whose workers are reaped and replaced as they exit.
     *
     * @throws UncheckedIOException wrapping an {@link InterruptedIOException} if interrupted while
     *                              waiting (the interrupt status is kept)
     */
    public void collectChildren(boolean blocking) {
        try {
            engine.collectChildren(blocking);
        } catch (InterruptedIOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Binds the strategy to the server; a pool starts its workers here. */
    @Override
    public void serverActivate(BaseServer<?> server) throws IOException {
        engine.activate(server);
    }

    /**
     * Hands the request to a child (per request: after waiting for room under
     * {@link #maxChildren()}; pool: queues it for the next free worker) and returns.
     */
    @Override
    public <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) throws IOException {
        engine.processRequest(server, request, clientAddress);
    }

    /** {@link #collectChildren collectChildren(false)}. */
    @Override
    public void serviceActions(BaseServer<?> server) {
        quietlyCollect();
    }

    /** {@link #collectChildren collectChildren(false)}. */
    @Override
    public void handleTimeout(BaseServer<?> server) {
        quietlyCollect();
    }

    private void quietlyCollect() {
        try {
            engine.collectChildren(false);
        } catch (InterruptedIOException e) {
            // The interrupt status is kept: serveForever sees it and returns.
        }
    }

    /** Waits for the children when {@link #blockOnClose()}, then reaps them. */
    @Override
    public void serverClose(BaseServer<?> server) {
        engine.serverClose();
    }

    @Override
    public String toString() {
        return pool ? "pre-forked pool of " + children + " worker processes"
                : "a process per request (maxChildren " + children + ")" + (blockOnClose ? "" : ", no block on close");
    }
}
