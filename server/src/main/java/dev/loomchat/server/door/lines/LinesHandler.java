package dev.loomchat.server.door.lines;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.MessageReader;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.Session;
import dev.loomchat.socketserver.StreamRequestHandler;
import java.io.IOException;
import java.time.Duration;

/**
 * One JSON-lines connection: a {@link StreamRequestHandler} whose {@code handle()} reads the
 * client's lines, decodes them and hands each to the {@link ChatCore}, in order. Its own replies
 * it writes itself, just before it waits for the next request
 * ({@link ConnectionWriter#flushReplies}); frames from other clients (fan-out, private
 * messages) are written by a short-lived writer virtual thread that runs only while there is
 * something to write.
 *
 * <p>The session ends on EOF, {@code quit}, a read error, flooding, or when another thread cuts
 * it off (slow consumer, idle timeout, shutdown: the connection is closed and the read fails);
 * then the core closes it in exactly one place ({@link ChatCore#close}) and the writer is given
 * a bounded time to flush.
 */
final class LinesHandler extends StreamRequestHandler {

    /** This door's name in the metrics ({@code door="lines"}). */
    static final String DOOR = "lines";

    private final ChatCore core;

    LinesHandler(ChatCore core) {
        this.core = core;
    }

    /** The protocol's line reader buffers, so {@code rfile} need not. */
    @Override
    protected int rbufsize() {
        return 0;
    }

    @Override
    protected boolean disableNagleAlgorithm() {
        return true;
    }

    @Override
    protected void handle() throws Exception {
        LinesPeer peer = new LinesPeer(connection(), core.config());
        Session session = core.open(peer, String.valueOf(clientAddress()));
        if (session == null) {
            Frame.of(core.refusal()).writeTo(wfile());
            return;
        }
        ConnectionWriter writer = peer.startWriting(wfile(), core.counters().bytesOut,
                "chat-writer-" + session.address());
        java.util.concurrent.atomic.AtomicInteger open = core.counters().connections(DOOR);
        open.incrementAndGet();
        try {
            readRequests(session, writer);
        } catch (IOException e) {
            // The client went away, or another thread closed the connection (drop, shutdown).
        } finally {
            open.decrementAndGet();
            core.close(session);
            writer.handOffReplies();
            awaitWriter(peer);
        }
    }

    private void readRequests(Session session, ConnectionWriter writer) throws IOException {
        FairInputStream input = FairInputStream.forChat(rfile(), core.counters().bytesIn, session::heard,
                core.config());
        MessageReader<ClientMessage> reader = new MessageReader<>(input, Codec.CLIENT_TO_SERVER,
                core.config().maxLineBytes());
        while (session.endReason() == null) {
            if (!reader.hasBufferedLine() && writer.flushReplies()) {
                // About to wait for input, having just answered: let the other connections run
                // first. By the time this thread is back, its client has usually sent the next
                // request, and the read finds it instead of failing (EAGAIN) and parking, which
                // costs a failed read plus an epoll re-arm per request (measured: 4.0 system
                // calls per echo round trip without the yield, 2.0 with it; BENCHMARKS.md).
                Thread.yield();
            }
            Decoded<ClientMessage> decoded = reader.read();
            if (!(decoded instanceof Decoded.Ok<ClientMessage>(ClientMessage.Pong pong))) {
                input.answered(); // a request (or a bad line): it gets a reply, it is not a free flood
            }
            if (!core.receive(session, decoded, System.nanoTime())) {
                return;
            }
        }
    }

    /**
     * Gives the writer a bounded time to flush (bye, shutdown), then closes the connection, which
     * ends a writer blocked on a client that does not read.
     */
    private void awaitWriter(LinesPeer peer) throws InterruptedException {
        Duration grace = core.config().shutdownGrace();
        if (!peer.outbox().awaitTerminated(grace)) {
            peer.close();
            peer.outbox().awaitTerminated();
        }
    }
}
