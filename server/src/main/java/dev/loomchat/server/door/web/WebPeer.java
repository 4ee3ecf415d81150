package dev.loomchat.server.door.web;

import dev.loomchat.protocol.ServerMessage.Parted;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.Outbox;
import dev.loomchat.server.chat.Peer;
import dev.loomchat.server.chat.Session;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A WebSocket connection as the chat core sees it: an {@link Outbox} of {@link TextFrame}s, the
 * writer that drains it to the socket, and the way to close the connection.
 *
 * <p>The writer is a virtual thread that exists only while there is something to write (the
 * outbox's writer role, as the JSON-lines door's {@code ConnectionWriter}): the offer that finds
 * the outbox idle starts it, it sends every queued frame as one text message and retires when
 * the outbox is empty. It is the only thread that sends data frames, so a client that stops
 * reading blocks this writer alone: the core only ever queues, the outbox overflows, and the
 * client is cut off as a slow consumer. When the outbox is closed and drained the writer sends
 * the WebSocket close frame (its code says why, see {@link #closeCode}), gives the client a
 * grace period to answer it, then closes the connection.
 *
 * <p>Closing from any thread ({@link #close()}): the connection's reader (Helidon's thread for
 * this connection) and the writer are interrupted. A virtual thread interrupted in a socket
 * read or write closes the socket (JEP 444), so this ends a writer blocked on a client that
 * does not read, and a reader waiting for a client that is silent.
 *
 * <p>Threading: {@link #start} on the reader thread, once; the rest from any thread.
 */
final class WebPeer implements Peer {

    private final WsSession ws;
    private final Thread reader;
    private final Outbox<TextFrame> outbox;
    private final LongAdder bytesOut;
    private final Duration closeGrace;
    private final ThreadFactory writers;
    private final AtomicReference<Thread> writer = new AtomicReference<>();
    /** A close code the door chose (binary message, message too big); first one wins. */
    private final AtomicReference<CloseReason> closeWith = new AtomicReference<>();
    private volatile Session session;

    /** A WebSocket close frame's code and reason. */
    record CloseReason(int code, String reason) {
    }

    /**
     * @param reader     the connection's reader thread (Helidon's), interrupted by {@link #close()}
     * @param closeGrace how long the client has to answer the close frame
     */
    WebPeer(WsSession ws, Thread reader, int outboxFrames, int outboxBytes, LongAdder bytesOut, Duration closeGrace,
            String writerName) {
        this.ws = ws;
        this.reader = reader;
        this.outbox = new Outbox<>(TextFrame.FORMAT, outboxFrames, outboxBytes);
        this.bytesOut = bytesOut;
        this.closeGrace = closeGrace;
        this.writers = Thread.ofVirtual().name(writerName).factory();
    }

    @Override
    public Outbox<TextFrame> outbox() {
        return outbox;
    }

    /** Lets the outbox's frames flow, for {@code session} (whose end reason picks the close code). Once. */
    void start(Session session) {
        this.session = session;
        outbox.attachWriter(() -> writers.newThread(this::drain).start());
    }

    /** Makes the close frame carry {@code code} and {@code reason} (the first call wins). */
    void closeWith(int code, String reason) {
        closeWith.compareAndSet(null, new CloseReason(code, reason));
    }

    /** Every frame is written by the writer thread, which the offer started: nothing is held back here. */
    @Override
    public void flushReplies() {
    }

    /** Closes the connection now: interrupts its reader and writer (see the class comment). Idempotent. */
    @Override
    public void close() {
        reader.interrupt();
        Thread active = writer.get();
        if (active != null) {
            active.interrupt();
        }
    }

    /** A writer thread's body: sends batches until the outbox is empty (retire) or closed and drained (close). */
    private void drain() {
        Thread self = Thread.currentThread();
        writer.set(self);
        boolean retired = false;
        try {
            ArrayDeque<TextFrame> batch = null;
            while ((batch = outbox.nextBatch(batch)) != null) {
                if (batch.isEmpty()) {
                    sayGoodbye();
                    return;
                }
                long bytes = 0;
                for (TextFrame frame : batch) {
                    ws.send(frame.text(), true);
                    bytes += frame.bytes();
                }
                bytesOut.add(bytes);
            }
            retired = true; // idle: the next offer starts a new writer
        } catch (RuntimeException e) {
            // Helidon's ServerConnectionException and friends: the client is gone, or we closed it.
        } finally {
            writer.compareAndSet(self, null);
            if (!retired) {
                close();
                outbox.writerTerminated();
            }
        }
    }

    /**
     * The outbox is closed and drained: sends the close frame, waits for the client's answer (its
     * reader then ends) within the grace period, then closes the connection (the caller does).
     */
    private void sayGoodbye() {
        CloseReason why = closeCode();
        try {
            ws.close(why.code(), why.reason());
            reader.join(closeGrace);
        } catch (RuntimeException e) {
            // The connection is gone already.
        } catch (InterruptedException e) {
            // Closed meanwhile.
        }
    }

    /**
     * The close code: the door's own choice if it made one (1003 for a binary message, 1009 for
     * one too big); 1001 (going away) for a shutdown; 1008 (policy violation) for a client cut
     * off as a slow consumer, for flooding or for silence, with the {@code error} code as the
     * reason; 1000 otherwise (quit, or the client closed first).
     */
    CloseReason closeCode() {
        CloseReason chosen = closeWith.get();
        if (chosen != null) {
            return chosen;
        }
        Session s = session;
        String reason = s == null ? null : s.endReason();
        if (reason == null) {
            return new CloseReason(WsCloseCodes.NORMAL_CLOSE, "bye");
        }
        return switch (reason) {
            case ChatCore.REASON_SHUTDOWN -> new CloseReason(WsCloseCodes.GOING_AWAY, "shutdown");
            case Parted.REASON_SLOW_CONSUMER, Parted.REASON_EXCESS_FLOOD, Parted.REASON_IDLE_TIMEOUT ->
                    new CloseReason(WsCloseCodes.VIOLATED_POLICY, reason);
            default -> new CloseReason(WsCloseCodes.NORMAL_CLOSE, reason);
        };
    }
}
