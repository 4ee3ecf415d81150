package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request loop and its hooks, with no socket of its own: {@link TCPServer} and
 * {@link UDPServer} add the socket.
 *
 * <h2>Request flow (as in Python)</h2>
 * {@link #serveForever} or {@link #handleRequest} waits until {@link #fileno()} is ready, then
 * {@link #getRequest()} → {@link #verifyRequest} → {@link #processRequest} (which the
 * {@link RequestProcessing} strategy runs: synchronously, on a thread, ...) →
 * {@link #finishRequest} (makes a handler and runs it) → {@link #shutdownRequest} →
 * {@link #closeRequest}. An {@link Exception} from {@code processRequest} goes to
 * {@link #handleError} and the request is shut down; the server keeps serving. An {@link Error}
 * shuts the request down and propagates (Python's {@code BaseException}). A refused request
 * ({@code verifyRequest} false) is shut down without reaching a handler.
 *
 * <h2>Hooks and attributes</h2>
 * Every hook is a public, overridable method with Python's name (camel-cased) and default;
 * Python's class attributes are overridable getters with its defaults ({@link #timeout()} is
 * {@code null}, i.e. {@code None}).
 *
 * <h2>Threading</h2>
 * {@code serveForever} and {@code handleRequest} run on the caller's thread; one
 * {@code serveForever} at a time. {@link #shutdown()} and {@link #serverClose()} are safe from any
 * thread. Handlers run where the {@link RequestProcessing} strategy puts them.
 *
 * @param <R> the request type: a connected {@link java.nio.channels.SocketChannel} for stream
 *            servers, a {@link DatagramRequest} for datagram servers
 */
public abstract class BaseServer<R> implements AutoCloseable {

    /** The default poll interval of {@link #serveForever()}: 0.5 s, as in Python. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(BaseServer.class);

    private final RequestHandlerFactory<R> requestHandlerFactory;
    private final RequestProcessing processing;
    private volatile SocketAddress serverAddress;

    private volatile boolean shutdownRequest;
    private volatile Selector activeSelector; // serveForever's
    private final Set<Selector> waitingSelectors = ConcurrentHashMap.newKeySet(); // handleRequest's
    private final ReentrantLock serveLock = new ReentrantLock();
    private final Condition serveForeverStopped = serveLock.newCondition();
    private Thread servingThread; // guarded by serveLock

    /**
     * Stores the address and the handler factory; creates no socket.
     *
     * @param processing how requests run; {@link RequestProcessing#synchronous()} is Python's
     *                   default, {@link Threading#virtual()} its {@code ThreadingMixIn}
     */
    protected BaseServer(SocketAddress serverAddress, RequestHandlerFactory<R> requestHandlerFactory,
                         RequestProcessing processing) {
        this.serverAddress = Objects.requireNonNull(serverAddress, "serverAddress");
        this.requestHandlerFactory = Objects.requireNonNull(requestHandlerFactory, "requestHandlerFactory");
        this.processing = Objects.requireNonNull(processing, "processing");
    }

    // ---------------------------------------------------------------- attributes

    /** The server's address; after binding, the real local address (port 0 resolved). */
    public SocketAddress serverAddress() {
        return serverAddress;
    }

    /** Sets {@link #serverAddress()}; {@code serverBind} calls it with the bound address. */
    protected void setServerAddress(SocketAddress address) {
        this.serverAddress = Objects.requireNonNull(address, "address");
    }

    /** What makes a handler per request. */
    public RequestHandlerFactory<R> requestHandlerFactory() {
        return requestHandlerFactory;
    }

    /** How this server runs requests (Python: which mix-in the class has). */
    public RequestProcessing processing() {
        return processing;
    }

    /**
     * How long {@link #handleRequest()} waits before calling {@link #handleTimeout()};
     * {@code null} (the default) waits forever. {@code serveForever} ignores it.
     */
    public Duration timeout() {
        return null;
    }

    /** The channel the request loop waits on. */
    public abstract SelectableChannel fileno();

    // ---------------------------------------------------------------- the request loop

    /** {@link #serveForever(Duration)} with the default poll interval of 0.5 s. */
    public void serveForever() throws IOException {
        serveForever(DEFAULT_POLL_INTERVAL);
    }

    /**
     * Handles requests until {@link #shutdown()}.
     *
     * <p>Each loop iteration waits up to {@code pollInterval} for a request, handles at most one,
     * then calls {@link #serviceActions()} (also after an idle wait). A shutdown seen after the
     * wait ends the loop without handling the ready request (bpo-35017). Unlike Python, the wait
     * is woken at once by {@code shutdown()}, so shutdown does not cost a poll interval. The loop
     * also ends when the socket has been closed or the thread is interrupted (the interrupt
     * status is kept): Java's Ctrl-C. May be called again after it returns.
     *
     * @throws IllegalStateException if another thread is already in {@code serveForever}
     * @throws IOException           if waiting on the socket fails
     */
    public void serveForever(Duration pollInterval) throws IOException {
        long pollMillis = Math.max(0, pollInterval.toMillis());
        enterServeForever();
        try (Selector selector = openSelector()) {
            activeSelector = selector;
            while (!shutdownRequest && fileno().isOpen() && !Thread.currentThread().isInterrupted()) {
                int ready = pollMillis == 0 ? selector.selectNow() : selector.select(pollMillis);
                if (shutdownRequest) {
                    break;
                }
                if (ready > 0) {
                    selector.selectedKeys().clear();
                    int limit = Math.max(1, requestsPerWakeup());
                    for (int handled = 0; handled < limit && handleRequestNoBlock(); handled++) {
                        // the next one, if it is already there
                    }
                }
                serviceActions();
            }
        } finally {
            activeSelector = null;
            exitServeForever();
        }
    }

    /**
     * Stops {@link #serveForever} and waits until it has returned.
     * Safe from any thread; does not close the socket (call {@link #serverClose()} for that).
     *
     * <p>Better than Python in two cases, where Python hangs: called from inside
     * {@code serveForever}'s own thread (e.g. from a handler of a synchronous server), it only
     * requests the stop and returns at once, and the loop ends after the current request; called
     * when no {@code serveForever} is running, it returns at once and the next
     * {@code serveForever} ends immediately (as in Python's start-up race, issue 2302).
     */
    public void shutdown() {
        shutdownRequest = true;
        Selector selector = activeSelector;
        if (selector != null) {
            selector.wakeup();
        }
        serveLock.lock();
        try {
            while (servingThread != null && servingThread != Thread.currentThread()) {
                serveForeverStopped.awaitUninterruptibly();
            }
        } finally {
            serveLock.unlock();
        }
    }

    /**
     * Waits for and handles one request. Honours
     * {@link #timeout()}: when nothing arrives in time it calls {@link #handleTimeout()} and
     * returns. As in Python the socket is checked before the deadline is, so a zero timeout
     * polls: a request already waiting is handled.
     *
     * <p>A {@link #serverClose()} from another thread wakes the wait at once, timeout or not, and
     * this method then throws {@link ClosedChannelException} without handling anything (Python
     * would block on until its timeout, or forever without one). A loop of
     * {@code handleRequest()} calls thus ends when the server is closed.
     *
     * @throws ClosedChannelException if the server is closed, before or while this waits
     * @throws IOException            if waiting on the socket fails
     */
    public void handleRequest() throws IOException {
        Duration timeout = timeout();
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        try (Selector selector = openSelector()) {
            waitingSelectors.add(selector);
            try {
                while (true) {
                    // Checked before every wait: serverClose closes the socket, then wakes the selector.
                    if (!fileno().isOpen()) {
                        throw new ClosedChannelException();
                    }
                    int ready;
                    if (timeout == null) {
                        ready = selector.select();
                    } else {
                        long remaining = deadline - System.nanoTime();
                        ready = remaining <= 0
                                ? selector.selectNow()
                                : selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                    }
                    if (ready > 0) {
                        handleRequestNoBlock();
                        return;
                    }
                    if (timeout != null && deadline - System.nanoTime() <= 0 && fileno().isOpen()) {
                        handleTimeout();
                        return;
                    }
                }
            } finally {
                waitingSelectors.remove(selector);
            }
        }
    }

    /**
     * Python's {@code _handle_request_noblock}: one request, the socket being ready.
     *
     * @return whether there was a request to take (false: a spurious wake-up, or a failed accept)
     */
    boolean handleRequestNoBlock() {
        ReceivedRequest<R> received;
        try {
            received = getRequest();
        } catch (IOException e) {
            return false; // as Python: a failed accept/recv is not a request and is not reported
        }
        if (received == null) {
            return false; // spurious wake-up: nothing to accept after all
        }
        R request = received.request();
        SocketAddress clientAddress = received.clientAddress();
        if (verifyRequest(request, clientAddress)) {
            try {
                processRequest(request, clientAddress);
            } catch (Exception e) {
                handleError(request, clientAddress, e);
                shutdownRequest(request);
            } catch (Error e) {
                shutdownRequest(request);
                throw e;
            }
        } else {
            shutdownRequest(request);
        }
        return true;
    }

    // ---------------------------------------------------------------- hooks

    /**
     * How many requests {@link #serveForever} takes each time the socket is ready, as long as
     * more are waiting: 1, as in Python, whose {@code serve_forever} handles one request per
     * wake-up. Not in Python: a server that must absorb bursts of connections (thousands of
     * clients reconnecting at once) returns more, so that it empties the listen backlog in
     * fewer wake-ups before the kernel starts dropping handshakes. {@link #serviceActions} still
     * runs once per wake-up.
     */
    public int requestsPerWakeup() {
        return 1;
    }

    /**
     * Takes the next request off the ready socket.
     *
     * @return the request and the client address, or {@code null} when nothing was ready after
     *         all (the socket is non-blocking)
     */
    public abstract ReceivedRequest<R> getRequest() throws IOException;

    /** Whether to process this request; {@code true} here. */
    public boolean verifyRequest(R request, SocketAddress clientAddress) {
        return true;
    }

    /** Runs a verified request through the {@link #processing()} strategy. */
    public void processRequest(R request, SocketAddress clientAddress) throws Exception {
        processing.processRequest(this, request, clientAddress);
    }

    /** Makes a handler with the factory and runs it. */
    public void finishRequest(R request, SocketAddress clientAddress) throws Exception {
        requestHandlerFactory.newHandler().run(request, clientAddress, this);
    }

    /** Ends a request; calls {@link #closeRequest}. */
    public void shutdownRequest(R request) {
        closeRequest(request);
    }

    /** Releases a request's resources; a no-op here. */
    public void closeRequest(R request) {
    }

    /**
     * Reports a request that failed with an exception and keeps serving. A client that merely
     * went away (see {@link ClientDisconnects}) is one DEBUG line; anything else is logged at
     * ERROR with its stack trace, as Python prints it — including a read that timed out
     * ({@link java.net.SocketTimeoutException} from a handler's {@code timeout()}). Called on the
     * thread that ran the request.
     */
    public void handleError(R request, SocketAddress clientAddress, Exception error) {
        if (ClientDisconnects.isDisconnect(error)) {
            LOG.debug("client {} went away: {}", clientAddress, error.toString());
        } else {
            LOG.error("Exception occurred during processing of request from {}", clientAddress, error);
        }
    }

    /** Called when {@link #handleRequest()} times out. */
    public void handleTimeout() {
        processing.handleTimeout(this);
    }

    /** Called once per {@link #serveForever} iteration. */
    public void serviceActions() {
        processing.serviceActions(this);
    }

    /** Called by the constructor to bind the socket; a no-op here. */
    public void serverBind() throws IOException {
    }

    /**
     * Called by the constructor after binding. Here it lets the
     * {@link #processing()} strategy prepare ({@link RequestProcessing#serverActivate}); an
     * override should call it.
     */
    public void serverActivate() throws IOException {
        processing.serverActivate(this);
    }

    /**
     * Cleans up the server. Subclasses close their socket first,
     * then call this, which wakes a {@link #serveForever} or {@link #handleRequest} waiting on
     * another thread (the loop returns, {@code handleRequest} throws
     * {@link ClosedChannelException}) and lets the {@link #processing()} strategy wait for its
     * workers (handler threads when {@code blockOnClose}). Safe from any thread; idempotent.
     */
    public void serverClose() {
        Selector selector = activeSelector;
        if (selector != null) {
            selector.wakeup();
        }
        waitingSelectors.forEach(Selector::wakeup);
        processing.serverClose(this);
    }

    /** {@link #serverClose()}, for try-with-resources (Python's {@code with server:}). */
    @Override
    public void close() {
        serverClose();
    }

    // ---------------------------------------------------------------- internals

    private Selector openSelector() throws IOException {
        SelectableChannel channel = fileno();
        // The channel's own provider: a junixsocket channel (AF_UNIX datagrams) cannot be
        // registered with a JDK selector, and for JDK channels this is Selector.open().
        Selector selector = channel.provider().openSelector();
        try {
            channel.register(selector, channel.validOps() & (SelectionKey.OP_ACCEPT | SelectionKey.OP_READ));
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        return selector;
    }

    private void enterServeForever() {
        serveLock.lock();
        try {
            if (servingThread != null) {
                throw new IllegalStateException("serveForever is already running on " + servingThread);
            }
            servingThread = Thread.currentThread();
        } finally {
            serveLock.unlock();
        }
    }

    private void exitServeForever() {
        serveLock.lock();
        try {
            shutdownRequest = false;
            servingThread = null;
            serveForeverStopped.signalAll();
        } finally {
            serveLock.unlock();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + serverAddress + ", " + processing + "]";
    }
}
