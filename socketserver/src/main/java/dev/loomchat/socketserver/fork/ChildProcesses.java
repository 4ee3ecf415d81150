package dev.loomchat.socketserver.fork;

import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.Forking;
import dev.loomchat.socketserver.NamedHandlerFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * The child processes of one forking server: the engine behind {@link Forking}, which is what
 * applications use. {@link Forking} makes one with {@link #processPerRequest} or
 * {@link #preforkedPool} and forwards the server's calls to it.
 *
 * <p>Both kinds share what is here: the server they belong to, the handoff socket children call
 * back, the SETUP every child gets, and a condition signalled whenever a child exits or finishes
 * a request.
 *
 * <p>Threading: {@link #activeChildren()} may be called from any thread; the other methods are
 * called by the server as {@link dev.loomchat.socketserver.RequestProcessing} says.
 */
public abstract sealed class ChildProcesses permits ProcessPerRequest, PreforkedPool {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    final ChildJvm jvm;
    final boolean blockOnClose;
    private BaseServer<?> server;           // guarded by lock
    private volatile HandoffListener handoff;
    private volatile byte[] setupFrame;

    ChildProcesses(ChildJvm jvm, boolean blockOnClose) {
        this.jvm = jvm;
        this.blockOnClose = blockOnClose;
    }

    /**
     * A child JVM per request, at most {@code maxChildren} alive at once.
     *
     * @param jvmOptions   options for each child JVM, besides the flags forking needs (always added)
     * @param blockOnClose whether {@link #serverClose()} waits until every child has exited
     * @throws UnsupportedOperationException where forking cannot work here (see {@link #requireSupported()})
     */
    public static ChildProcesses processPerRequest(List<String> jvmOptions, boolean blockOnClose, int maxChildren) {
        requireSupported();
        return new ProcessPerRequest(new ChildJvm(jvmOptions), blockOnClose, maxChildren);
    }

    /**
     * {@code workers} long-lived worker JVMs, started by {@link #activate}, each handling one
     * request at a time.
     *
     * @param jvmOptions   options for each worker JVM, besides the flags forking needs (always added)
     * @param blockOnClose whether {@link #serverClose()} waits until every queued request is answered
     * @throws UnsupportedOperationException where forking cannot work here (see {@link #requireSupported()})
     */
    public static ChildProcesses preforkedPool(List<String> jvmOptions, boolean blockOnClose, int workers) {
        requireSupported();
        return new PreforkedPool(new ChildJvm(jvmOptions), blockOnClose, workers);
    }

    /**
     * Checks what handing a socket to a child JVM needs: junixsocket's native descriptor passing,
     * and {@code sun.nio.ch} opened to this code.
     *
     * @throws UnsupportedOperationException saying which is missing, and what to do
     */
    public static void requireSupported() {
        ChannelDescriptors.requireFileDescriptorPassing();
        ChannelDescriptors.requireJdkInternalsOpen();
    }

    /** Whether each child handles exactly one request. */
    abstract boolean oneShot();

    /** Called once, when the strategy is bound to its server. */
    void activated() throws IOException {
    }

    /**
     * Hands a verified request to a child and returns; from here on the request is the child's
     * (or, if no child takes it, ended by this class with {@code shutdownRequest}).
     *
     * @throws IOException if the request cannot be handed over (the server reports it and shuts
     *                     the request down)
     */
    public abstract <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress)
            throws IOException;

    /**
     * Reaps children that have exited (waiting first while too many live); with {@code blocking},
     * waits for every child.
     *
     * @throws InterruptedIOException if interrupted while waiting (the interrupt status is kept)
     */
    public abstract void collectChildren(boolean blocking) throws InterruptedIOException;

    /** Waits for the children as {@code blockOnClose} says, then closes the handoff socket. */
    public abstract void serverClose();

    /** The child processes alive and not yet reaped. */
    public abstract Set<ProcessHandle> activeChildren();

    /**
     * Binds these children to {@code server} (once): checks that its handler is named by class and
     * opens the handoff socket; a pool starts its workers. Idempotent for the same server.
     *
     * @throws IllegalStateException if already bound to another server, or the server's handler
     *                               factory is not a {@link NamedHandlerFactory}
     */
    public final void activate(BaseServer<?> server) throws IOException {
        lock.lock();
        try {
            if (this.server == server) {
                return;
            }
            if (this.server != null) {
                throw new IllegalStateException("a Forking strategy belongs to one server: make one per server");
            }
            if (!(server.requestHandlerFactory() instanceof NamedHandlerFactory<?> named)) {
                throw new IllegalStateException("a forking server runs its handler in child JVMs, which build it by"
                        + " class name: give the server NamedHandlerFactory.ofClass(MyHandler.class) (or ofFactory),"
                        + " not " + server.requestHandlerFactory());
            }
            setupFrame = Handoff.setup(new Handoff.Setup(named.className(), named.isFactoryClass(),
                    server.serverAddress(), oneShot()));
            handoff = HandoffListener.open();
            this.server = server;
            activated();
        } finally {
            lock.unlock();
        }
    }

    final boolean isActive() {
        return handoff != null;
    }

    final HandoffListener handoff() {
        return handoff;
    }

    /** Sends SETUP and waits for READY: whether the child is ready for a job (false: it went away). */
    final boolean setUp(AFUNIXSocketChannel control) throws IOException {
        Handoff.write(control, setupFrame, null);
        return Handoff.read(control) != null;
    }

    final void signalChange() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code check} under the lock, waiting for a change while it says to keep waiting. */
    final void awaitUntil(BooleanSupplier done) throws InterruptedIOException {
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                // Bounded waits: a signal raced with the check is then only a short delay.
                changed.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for child processes");
        } finally {
            lock.unlock();
        }
    }

    final void closeHandoff() {
        HandoffListener listener = handoff;
        if (listener != null) {
            listener.close();
        }
    }
}
