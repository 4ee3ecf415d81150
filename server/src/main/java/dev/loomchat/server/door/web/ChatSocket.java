package dev.loomchat.server.door.web;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.Session;
import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection of the web door: Helidon calls it on the connection's own (virtual)
 * thread, the reader, which hands every text message to the {@link ChatCore} in order, as the
 * JSON-lines door's handler hands it lines. A text message is one frame of PROTOCOL.md (one
 * JSON object; line feeds in it are JSON whitespace), decoded by the protocol's codec exactly as
 * a line; a message of only blanks is ignored as a blank line is.
 *
 * <p>What is WebSocket's own: a binary message closes the connection with 1003 (the protocol
 * is text); a message longer than {@code maxLineBytes} closes it with 1009 (Helidon holds a
 * whole frame in memory before it is read, so it cannot be skipped as an over-long line is; a
 * single frame over the bound is refused by Helidon itself, also with 1009); a WebSocket ping is
 * answered with a pong. Every frame restarts the keepalive clock and pays its bytes.
 *
 * <p>The session is closed exactly once: when the client's close frame arrives, when the core
 * says to stop reading ({@code quit}, flooding), or, for every other way a connection ends (a
 * reset, a read error, Helidon's own close), when the reader thread ends, which a small watcher
 * thread waits for. Helidon does not tell a listener of a connection that died.
 */
final class ChatSocket implements WsListener {

    private static final Logger LOG = LoggerFactory.getLogger(ChatSocket.class);

    /** This door's name in the metrics ({@code door="web"}). */
    static final String DOOR = "web";

    private final ChatCore core;
    private final ChatConfig config;
    private final InputBudget budget;
    private final AtomicBoolean ended = new AtomicBoolean();
    private WebPeer peer;
    private Session session;
    private AtomicInteger open;
    /** Fragments of a message that is not complete yet; reader thread only. */
    private StringBuilder fragments;
    private long fragmentBytes;
    /** No more input is read: the session is over. Reader thread only. */
    private boolean done;

    ChatSocket(ChatCore core) {
        this.core = core;
        this.config = core.config();
        this.budget = InputBudget.forChat(config);
    }

    @Override
    public void onOpen(WsSession ws) {
        Thread reader = Thread.currentThread(); // Helidon's thread for this connection, until it ends
        String address = "web " + ws.socketContext().remotePeer().address();
        peer = new WebPeer(ws, reader, config.outboxFrames(), config.outboxBytes(), core.counters().bytesOut,
                config.shutdownGrace(), "chat-web-writer-" + address);
        session = core.open(peer, address);
        if (session == null) {
            refuse(ws, core.refusal(address));
            return;
        }
        open = core.counters().connections(DOOR);
        open.incrementAndGet();
        peer.start(session);
        Thread.ofVirtual().name("chat-web-watch-" + address).start(() -> {
            joinUninterruptibly(reader);
            end();
        });
    }

    /** The server is full, failing or shutting down: the reason as one frame, the close, and the end. */
    private static void refuse(WsSession ws, ServerMessage refusal) {
        try {
            ws.send(Frame.of(refusal).toString(), true);
            int code = refusal instanceof ServerMessage.Shutdown ? WsCloseCodes.GOING_AWAY : WsCloseCodes.TRY_AGAIN_LATER;
            ws.close(code, refusal instanceof ServerMessage.Error error ? error.code().wire() : "shutdown");
        } catch (RuntimeException e) {
            // Gone already.
        }
        ws.terminate(); // ends the connection (throws Helidon's CloseConnectionException)
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        if (done) {
            return;
        }
        long now = System.nanoTime();
        session.heard(now);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (fragments != null || !last) {
            if (fragments == null) {
                fragments = new StringBuilder();
                fragmentBytes = 0;
            }
            fragments.append(text);
            fragmentBytes += bytes.length;
            if (fragmentBytes > config.maxLineBytes()) {
                tooBig();
                return;
            }
            if (!last) {
                charge(bytes.length, false, now);
                return;
            }
            bytes = fragments.toString().getBytes(StandardCharsets.UTF_8);
            fragments = null;
        }
        if (bytes.length > config.maxLineBytes()) {
            tooBig();
            return;
        }
        if (isBlank(bytes)) {
            charge(bytes.length, false, now);
            return;
        }
        Decoded<ClientMessage> decoded = Codec.CLIENT_TO_SERVER.decode(bytes);
        boolean answered = !(decoded instanceof Decoded.Ok<ClientMessage>(ClientMessage.Pong pong));
        if (!charge(bytes.length, answered, now)) {
            return;
        }
        if (!core.receive(session, decoded, System.nanoTime())) {
            stop();
        }
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
        if (done) {
            return;
        }
        session.heard(System.nanoTime());
        peer.closeWith(WsCloseCodes.CANNOT_ACCEPT, "text messages only: one JSON object each (PROTOCOL.md)");
        stop();
    }

    @Override
    public void onPing(WsSession ws, BufferData buffer) {
        if (done) {
            return;
        }
        long now = System.nanoTime();
        session.heard(now);
        if (charge(buffer.available(), false, now)) {
            try {
                ws.pong(buffer);
            } catch (RuntimeException e) {
                stop(); // the connection is gone
            }
        }
    }

    @Override
    public void onPong(WsSession ws, BufferData buffer) {
        if (done) {
            return;
        }
        long now = System.nanoTime();
        session.heard(now);
        charge(buffer.available(), false, now);
    }

    @Override
    public void onClose(WsSession ws, int status, String reason) {
        if (session != null) {
            stop();
        }
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        LOG.debug("websocket error {}: {}", session, t.toString());
        if (session != null) {
            stop();
        }
    }

    private void tooBig() {
        fragments = null;
        peer.closeWith(WsCloseCodes.TOO_BIG, "message longer than " + config.maxLineBytes() + " bytes");
        stop();
    }

    /** Charges the budget; false (and the session stopped) if the reader was interrupted meanwhile. */
    private boolean charge(long bytes, boolean answered, long now) {
        core.counters().bytesIn.add(bytes);
        try {
            budget.charge(bytes, answered, now);
            return true;
        } catch (InterruptedException e) {
            stop();
            return false;
        }
    }

    /** No more input: the session ends (the writer sends what is queued, then the close frame). */
    private void stop() {
        done = true;
        end();
    }

    /** Closes the session, exactly once, from whichever of the reader or the watcher gets here first. */
    private void end() {
        if (ended.compareAndSet(false, true)) {
            open.decrementAndGet();
            core.close(session);
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
