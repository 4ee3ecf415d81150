package dev.loomchat.server.door.lines;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.MessageReader;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.Session;
import dev.loomchat.server.tls.ServerTls;
import dev.loomchat.server.door.TlsAcceptance;
import dev.loomchat.server.door.ParkingStreamHandler;
import dev.loomchat.server.door.ConnectionWriter;
import dev.loomchat.server.door.FairInputStream;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON-lines connection: a {@link ParkingStreamHandler} whose conversation reads the
 * client's lines, decodes them and hands each to the {@link ChatCore}, in order; while the
 * client is quiet the connection waits for its next line without a thread. Its own replies
 * it writes itself, just before it waits for the next request
 * ({@link ConnectionWriter#flushReplies}); frames from other clients (fan-out, private
 * messages) are written by a short-lived writer virtual thread that runs only while there is
 * something to write.
 *
 * <p>The session ends on EOF, {@code quit}, a read error, flooding, or when another thread cuts
 * it off (slow consumer, idle timeout, shutdown: the connection is closed and the read fails);
 * then the core closes it in exactly one place ({@link ChatCore#close}) and the writer is given
 * a bounded time to flush.
 *
 * <p>On a TLS listener the handshake comes first, on this thread ({@link ServerTls#accept}); a
 * client that speaks plain JSON there gets one {@code tls_required} error in plain text, a
 * failed or timed-out handshake just a closed connection. On a plain listener, a TLS client's
 * handshake is recognised by its first byte ({@link FairInputStream}) and the connection closed
 * at once, so that the client's handshake fails instead of hanging.
 */
final class LinesHandler extends ParkingStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LinesHandler.class);

    /** This door's name in the metrics ({@code door="lines"}). */
    static final String DOOR = "lines";

    private final ChatCore core;
    // The conversation's state, kept while the connection is parked (see ParkingStreamHandler).
    private LinesPeer peer;
    private Session session;
    private ConnectionWriter<Frame> writer;
    private FairInputStream input;
    private MessageReader<ClientMessage> reader;

    LinesHandler(ChatCore core, ServerTls tls) {
        super(tls, core.counters().parked);
        this.core = core;
    }

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
        TlsAcceptance failed = failedHandshake();
        if (failed != null) {
            refuseWithoutTls(failed);
            return;
        }
        peer = new LinesPeer(connection(), parking(), core.config());
        String address = String.valueOf(clientAddress());
        session = core.open(peer, address);
        if (session == null) {
            Frame.of(core.refusal(address)).writeTo(wfile());
            return;
        }
        writer = peer.startWriting(output(), core.counters().bytesOut, "chat-writer-" + session.address());
        input = FairInputStream.forChat(input(), core.counters().bytesIn, session::heard, core.config());
        reader = new MessageReader<>(input, Codec.CLIENT_TO_SERVER, core.config().maxLineBytes());
        core.counters().connections(DOOR).incrementAndGet();
        converse(peer);
    }

    @Override
    protected void readRequests() throws IOException {
        try {
            while (session.endReason() == null) {
                if (!reader.hasBufferedLine()) {
                    // About to wait for input: the replies go out first. No Thread.yield() to let the
                    // client's next request arrive first (it saved a failed read and an epoll re-arm
                    // per request): on JDK 25's scheduler a yielding reader may be queued where the
                    // carrier does not look while the I/O poller and the readers it wakes keep it
                    // busy, and at 10,000 connections half of them waited seconds (BENCHMARKS.md).
                    writer.flushReplies();
                }
                Decoded<ClientMessage> decoded = reader.read();
                if (!(decoded instanceof Decoded.Ok<ClientMessage>(ClientMessage.Pong pong))) {
                    input.answered(); // a request (or a bad line): it gets a reply, it is not a free flood
                }
                if (!core.receive(session, decoded, System.nanoTime())) {
                    return;
                }
            }
        } catch (FairInputStream.TlsOnPlainPortException e) {
            LOG.debug("{}: a TLS handshake on the plain port; closed", session.address());
        }
    }

    @Override
    protected void beforePark() {
        reader.releaseBuffer();
    }

    @Override
    protected void endConversation() throws InterruptedException {
        core.counters().connections(DOOR).decrementAndGet();
        core.close(session);
        writer.handOffReplies();
        awaitWriter(peer);
    }

    private void refuseWithoutTls(TlsAcceptance acceptance) throws IOException {
        if (acceptance.plainClient()) {
            LOG.debug("{}: plain text on the TLS port; told so", clientAddress());
            Frame.of(new ServerMessage.Error(ErrorCode.TLS_REQUIRED,
                    "this port speaks TLS: connect with TLS (loomchat client --tls)", null)).writeTo(wfile());
        } else {
            LOG.debug("{}: TLS handshake failed: {}", clientAddress(), acceptance.failure());
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
