package dev.loomchat.server;

import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.ServerMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client connection's chat state: its nick, its rooms, its outbound queue, its keepalive
 * clock, and why it ended.
 *
 * <p>Threading: the connection's reader thread owns {@link #rooms()} and the nick changes; any
 * thread may {@link #send} to it (fan-out from other clients), read its {@link #nick()}, or
 * {@link #drop} it (slow consumer, idle timeout). {@code drop} never blocks: it queues a last
 * frame and closes the connection a grace period later at the latest.
 */
final class Session {

    private final SocketChannel channel;
    private final SocketAddress address;
    private final Outbox outbox;
    private final ServerCounters counters;
    private final ScheduledExecutorService timers;
    private final long dropGraceMillis;
    /** Rooms by folded name; reader thread only. */
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final AtomicReference<String> endReason = new AtomicReference<>();
    /** The last nick change this client was told of (see {@link #firstNotice}). */
    private final AtomicReference<String> lastNotice = new AtomicReference<>();
    private volatile String nick;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long pingSentNanos;
    /** Set once by {@link #startWriting}, before any writer can run. */
    private OutboxWriter writer;
    private Thread reader;
    private ThreadFactory writerThreads;
    /** The reader holds the outbox's writer role for its own replies; reader thread only. */
    private boolean replyWriterClaimed;

    Session(SocketChannel channel, SocketAddress address, ChatConfig config, ServerCounters counters,
            ScheduledExecutorService timers) {
        this.channel = channel;
        this.address = address;
        this.outbox = new Outbox(config.outboxFrames(), config.outboxBytes());
        this.counters = counters;
        this.timers = timers;
        this.dropGraceMillis = Math.max(100, Math.min(config.shutdownGrace().toMillis(), 2000));
    }

    SocketAddress address() {
        return address;
    }

    Outbox outbox() {
        return outbox;
    }

    /**
     * Lets frames flow to the client through {@code out}: from now on a frame sent to an idle
     * session starts a short-lived writer virtual thread (see {@link Outbox}), except for the
     * replies of the calling thread, the connection's reader, which it writes itself in
     * {@link #flushReplies()}. Reader thread, once.
     */
    void startWriting(OutputStream out) {
        writer = new OutboxWriter(this, out, counters);
        reader = Thread.currentThread();
        // A Thread.Builder is not thread-safe and senders are any thread: share its factory.
        writerThreads = Thread.ofVirtual().name("chat-writer-" + address).factory();
        outbox.attachWriter(this::writerNeeded);
    }

    /**
     * Writes the replies this connection's reader has queued for its own client, on the reader
     * thread: no hand-off to a writer thread for a request's answer. The reader calls it when it
     * is about to wait for input, so a pipelined burst of requests gets one write. If frames keep
     * arriving from other clients meanwhile, a writer thread takes over. Reader thread only; it
     * may block in a write to its own client (back-pressure on that client alone; the keepalive
     * and slow-consumer drops still close the connection).
     *
     * @return whether the reader held replies to write (so its client may answer them soon)
     */
    boolean flushReplies() {
        if (!replyWriterClaimed) {
            return false;
        }
        replyWriterClaimed = false;
        if (!writer.runOneBatch()) {
            startWriterThread();
        }
        return true;
    }

    /**
     * Before the reader carries out a request: if half the outbound queue's byte bound is already
     * taken, it first writes its pending replies and waits until the queue has room again. A
     * client that pipelines requests without reading their replies (a join with a long replay,
     * over and over) so stalls its own reader, not the server's memory: what is queued for it
     * stays within the bound. Reader thread only; it may block on its own client alone, and ends
     * when the connection is closed (a drop, a shutdown, the keepalive).
     */
    void awaitRoomForReplies() throws java.io.InterruptedIOException {
        long half = outbox.maxBytes() / 2;
        if (outbox.queuedBytes() <= half) {
            return;
        }
        flushReplies();
        try {
            outbox.awaitQueuedAtMost(half);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the client to read");
        }
    }

    /**
     * Hands the reader's pending replies to a writer thread instead of writing them: for the
     * reader's last act, so that a client that does not read is given the grace period by
     * {@code ChatHandler} rather than blocking the reader. Reader thread only.
     */
    void handOffReplies() {
        if (replyWriterClaimed) {
            replyWriterClaimed = false;
            startWriterThread();
        }
    }

    /** The outbox needs a writer (outside its lock): the reader defers it, anyone else starts one. */
    private void writerNeeded() {
        if (Thread.currentThread() == reader) {
            replyWriterClaimed = true; // written by flushReplies, before the reader blocks
        } else {
            startWriterThread();
        }
    }

    private void startWriterThread() {
        writerThreads.newThread(writer).start();
    }

    SocketChannel channel() {
        return channel;
    }

    /** The nick, or {@code null} before a successful {@code hello}. */
    String nick() {
        return nick;
    }

    void nick(String newNick) {
        nick = newNick;
    }

    boolean welcomed() {
        return nick != null;
    }

    /** The rooms this client is in, by folded name. Reader thread only. */
    Map<String, Room> rooms() {
        return rooms;
    }

    /** Queues a frame; an overflowing queue drops this client as a slow consumer. */
    void send(Frame frame) {
        switch (outbox.offer(frame)) {
            case QUEUED -> counters.framesOut.increment();
            case OVERFLOW -> {
                if (drop(ServerMessage.Parted.REASON_SLOW_CONSUMER, ErrorCode.SLOW_CONSUMER,
                        "outbound queue overflowed: the client is not reading fast enough")) {
                    counters.slowConsumers.increment();
                }
            }
            case CLOSED -> { }
        }
    }

    void send(ServerMessage message) {
        send(Frame.of(message));
    }

    /** Queues the frames of one reply (a replay) in one step; see {@link Outbox#offerBurst}. */
    void sendBurst(List<Frame> frames) {
        switch (outbox.offerBurst(frames)) {
            case QUEUED -> counters.framesOut.add(frames.size());
            case OVERFLOW -> {
                if (drop(ServerMessage.Parted.REASON_SLOW_CONSUMER, ErrorCode.SLOW_CONSUMER,
                        "outbound queue overflowed: the client is not reading fast enough")) {
                    counters.slowConsumers.increment();
                }
            }
            case CLOSED -> { }
        }
    }

    /**
     * Ends the session from any thread: replaces whatever is queued by an {@code error} frame
     * (best effort), and closes the connection once that is written or the grace period ends.
     * Only the first end counts.
     *
     * @return whether this call ended the session
     */
    boolean drop(String reason, ErrorCode code, String message) {
        if (!endReason.compareAndSet(null, reason)) {
            return false;
        }
        outbox.abortWith(Frame.of(new ServerMessage.Error(code, message, null)));
        timers.schedule(this::closeConnection, dropGraceMillis, TimeUnit.MILLISECONDS);
        return true;
    }

    /** Ends the session after the queued frames are sent (quit, EOF, shutdown). */
    void finish(String reason) {
        endReason.compareAndSet(null, reason);
        outbox.close();
    }

    /** Why the session ended ({@code Parted.REASON_*}), or {@code null} while it runs. */
    String endReason() {
        return endReason.get();
    }

    /** Closes the socket; the reader and writer threads then end. Any thread, idempotent. */
    void closeConnection() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed either way.
        }
    }

    /**
     * Whether the notice {@code token} (one nick change, announced in each shared room) is new
     * to this client: a peer sharing several rooms with the renamed client hears of it once.
     */
    boolean firstNotice(String token) {
        return !token.equals(lastNotice.getAndSet(token));
    }

    /** Records that a frame arrived: the keepalive clock restarts. */
    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
        pingSentNanos = 0;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    long pingSentNanos() {
        return pingSentNanos;
    }

    void pingSent(long nowNanos) {
        pingSentNanos = nowNanos;
    }

    @Override
    public String toString() {
        return (nick == null ? "-" : nick) + "@" + address;
    }
}
