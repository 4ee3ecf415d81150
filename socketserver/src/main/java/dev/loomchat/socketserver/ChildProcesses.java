package dev.loomchat.socketserver;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * What the two ways of {@link Forking} share: the server they belong to, the handoff socket
 * children call back, the SETUP every child gets, and a condition signalled whenever a child
 * exits or finishes a request. Subclasses: {@link ProcessPerRequest}, {@link PreforkedPool}.
 */
abstract class ChildProcesses {

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

    /** Whether each child handles exactly one request. */
    abstract boolean oneShot();

    /** Called once, when the strategy is bound to its server. */
    void activated() throws IOException {
    }

    abstract <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) throws IOException;

    abstract void collectChildren(boolean blocking) throws InterruptedIOException;

    abstract void serverClose();

    abstract Set<ProcessHandle> activeChildren();

    /**
     * Binds this strategy to {@code server} (once): checks that its handler is named by class and
     * opens the handoff socket. Idempotent for the same server.
     *
     * @throws IllegalStateException if already bound to another server, or the server's handler
     *                               factory is not a {@link NamedHandlerFactory}
     */
    final void activate(BaseServer<?> server) throws IOException {
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
    final void awaitUntil(java.util.function.BooleanSupplier done) throws InterruptedIOException {
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
