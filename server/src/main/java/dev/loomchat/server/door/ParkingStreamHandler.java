package dev.loomchat.server.door;

import dev.loomchat.server.tls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A door's handler whose connection, once its client has gone quiet, waits for input without a
 * thread: the handler's conversation ({@link #readRequests}) may end on one thread and go on, from
 * where it stopped, on another ({@link ConnectionParking}). So an idle connection costs its
 * session, its buffers and a selection key, not a parked virtual thread with its stack.
 *
 * <p>Which connections park: plain TCP connections on a {@link TcpListener} served by virtual
 * threads. TLS connections (their engine reads ahead), AF_UNIX ones (no timed read) and
 * platform-thread servers keep one reader thread for the connection's life.
 *
 * <p>A subclass opens its session in {@link #handle()}, wires its reader and writer to
 * {@link #input()} and {@link #output()}, and hands over with {@link #converse}; then
 * {@link #readRequests} runs, as often as the connection is resumed, until it returns or fails,
 * and {@link #endConversation} once after it. A parked connection outlives the handler's first
 * thread, so its listener leaves it open when that thread ends and the thread that ends the
 * conversation closes it.
 */
public abstract class ParkingStreamHandler extends TlsStreamHandler {

    private ConnectionParking parking; // null: this connection never parks
    private ParkableInput parkableInput;
    private ParkableOutput parkableOutput;
    private SocketPeer<?> peer;
    private boolean detached;

    private final AtomicInteger parkedGauge;

    /** {@code tls}: the listener's, or null on a plain one; {@code parkedGauge} counts the parked connections now. */
    protected ParkingStreamHandler(ServerTls tls, AtomicInteger parkedGauge) {
        super(tls);
        this.parkedGauge = parkedGauge;
    }

    @Override
    protected void setup() throws Exception {
        super.setup();
        if (!onTlsListener() && server() instanceof TcpListener && Thread.currentThread().isVirtual()) {
            parking = new ConnectionParking(connection(), parkedGauge);
            parkableInput = new ParkableInput(connection());
            parkableOutput = new ParkableOutput(connection(), parking);
        }
    }

    /** What the conversation reads: the parkable input, or {@code rfile} on a connection that never parks. */
    protected final InputStream input() {
        return parkableInput != null ? parkableInput : rfile();
    }

    /** Where the connection's writer writes: the parkable output, or {@code wfile}. */
    protected final OutputStream output() {
        return parkableOutput != null ? parkableOutput : wfile();
    }

    /** The connection's parking, for its peer (a close must wake a parked connection); null if it never parks. */
    protected final ConnectionParking parking() {
        return parking;
    }

    /**
     * Runs the conversation of {@code peer}'s connection: {@link #readRequests} until it ends,
     * parking the connection whenever {@link #input()} finds its client quiet, then
     * {@link #endConversation}. Returns when the conversation has ended or the connection is
     * parked; call it last in {@link #handle()}.
     */
    protected final void converse(SocketPeer<?> peer) throws Exception {
        this.peer = peer;
        serve();
    }

    /**
     * Reads and handles requests until the session ends (return, or an {@link IOException}
     * when the client goes away). A {@link SocketTimeoutException} from {@link #input()} means
     * the client is quiet: let it through, with the reader's state intact, and the call is
     * repeated, on another thread, when there is input.
     */
    protected abstract void readRequests() throws IOException;

    /**
     * The connection is about to park (its replies are written): let go of what an idle
     * connection does not need, such as an empty read buffer. Nothing by default.
     */
    protected void beforePark() {
    }

    /** The session is over: the clean-up that followed the read loop (close the session, let the writer flush). */
    protected abstract void endConversation() throws Exception;

    private void serve() throws Exception {
        boolean parked = false;
        try {
            readRequests();
        } catch (SocketTimeoutException quiet) {
            parked = parking != null && park();
        } catch (IOException e) {
            // The client went away, or another thread closed the connection (drop, shutdown, timeout).
        } finally {
            if (!parked) {
                try {
                    endConversation();
                } finally {
                    if (detached) {
                        ((TcpListener) server()).closeDetached(connection());
                    }
                }
            }
        }
    }

    private boolean park() {
        if (!detached) {
            detached = true; // before the hand-off: from then on another thread may end it
            ((TcpListener) server()).detach(connection());
        }
        beforePark();
        peer.readerParked(); // a parked connection's writer does not hold on to the ended thread
        return parking.park(this::resume);
    }

    /** The body of a resumed reader thread. */
    private void resume() {
        parkableInput.resumed();
        peer.readerResumed();
        try {
            serve();
        } catch (Exception e) {
            server().handleError(request(), clientAddress(), e);
        }
    }
}
