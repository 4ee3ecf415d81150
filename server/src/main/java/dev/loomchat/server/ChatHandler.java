package dev.loomchat.server;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.MessageReader;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.Parted;
import dev.loomchat.socketserver.StreamRequestHandler;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat connection: a {@link StreamRequestHandler} whose {@code handle()} reads the client's
 * JSON lines and carries out each request in order. Its own replies it writes itself, just
 * before it waits for the next request ({@link Session#flushReplies}); frames from other
 * clients (fan-out, private messages) are written by a short-lived writer virtual thread
 * ({@link OutboxWriter}) that runs only while there is something to write.
 *
 * <p>Flow per frame: keepalive clock, flood control (a refused frame gets {@code rate_limited};
 * persistent flooding ends the session), then the request. A bad line gets its typed
 * {@code error} and the connection goes on. The session ends on EOF, {@code quit}, a read error
 * or when another thread {@linkplain Session#drop drops} it; then it leaves its rooms in exactly
 * one place ({@link ChatHub#close}) and the writer is given a bounded time to flush.
 */
final class ChatHandler extends StreamRequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ChatHandler.class);

    private final ChatHub hub;
    private final Supervisor supervisor;

    ChatHandler(ChatHub hub, Supervisor supervisor) {
        this.hub = hub;
        this.supervisor = supervisor;
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
        String failure = supervisor.failed();
        if (failure != null) {
            Frame.of(new ServerMessage.Error(ErrorCode.UNAVAILABLE, "the server is failing (" + failure
                    + ") and stops; try again later", null)).writeTo(wfile());
            return;
        }
        Session session = hub.open(connection(), clientAddress());
        if (session == null) {
            Frame.of(hub.shuttingDown() ? new ServerMessage.Shutdown(ChatServer.SHUTDOWN_MESSAGE)
                    : new ServerMessage.Error(ErrorCode.SERVER_FULL, "the server is at its connection limit", null))
                    .writeTo(wfile());
            return;
        }
        session.startWriting(wfile());
        try {
            readRequests(session);
        } catch (IOException e) {
            // The client went away, or another thread closed the connection (drop, shutdown).
        } finally {
            session.finish(Parted.REASON_DISCONNECT);
            hub.close(session);
            session.handOffReplies();
            awaitWriter(session);
        }
    }

    private void readRequests(Session session) throws IOException {
        ChatConfig config = hub.config();
        FairInputStream input = FairInputStream.forChat(rfile(), hub.counters().bytesIn, session::heard, config);
        MessageReader<ClientMessage> reader = new MessageReader<>(input, Codec.CLIENT_TO_SERVER, config.maxLineBytes());
        FloodControl flood = new FloodControl(config.msgRate(), config.msgBurst(), System.nanoTime());
        while (session.endReason() == null) {
            if (!reader.hasBufferedLine() && session.flushReplies()) {
                // About to wait for input, having just answered: let the other connections run
                // first. By the time this thread is back, its client has usually sent the next
                // request, and the read finds it instead of failing (EAGAIN) and parking, which
                // costs a failed read plus an epoll re-arm per request (measured: 4.0 system
                // calls per echo round trip without the yield, 2.0 with it; BENCHMARKS.md).
                Thread.yield();
            }
            Decoded<ClientMessage> decoded = reader.read();
            long now = System.nanoTime();
            if (decoded instanceof Decoded.End) {
                return;
            }
            hub.counters().framesIn.increment();
            switch (decoded) {
                case Decoded.Ok<ClientMessage>(ClientMessage.Quit quit) -> { } // leaving is never refused
                case Decoded.Ok<ClientMessage>(ClientMessage.Pong pong) -> {
                    delay(session, flood.delayNanos(now)); // answers our keepalive: never refused, but not free
                    continue;
                }
                case Decoded.Ok<ClientMessage>(ClientMessage.Ping ping) -> delay(session, flood.delayNanos(now));
                default -> {
                    switch (flood.take(now)) {
                        case ALLOW -> { }
                        case REFUSE -> {
                            hub.counters().rateLimited.increment();
                            session.send(new ServerMessage.Error(ErrorCode.RATE_LIMITED, "over " + config.msgRate()
                                    + " requests/s (burst " + config.msgBurst() + "); request dropped", refOf(decoded)));
                            continue;
                        }
                        case DISCONNECT -> {
                            hub.counters().floodDisconnects.increment();
                            session.send(new ServerMessage.Error(ErrorCode.EXCESS_FLOOD,
                                    "kept flooding while rate limited; disconnecting", refOf(decoded)));
                            session.finish(Parted.REASON_EXCESS_FLOOD);
                            return;
                        }
                    }
                }
            }
            session.awaitRoomForReplies();
            switch (decoded) {
                case Decoded.Bad<ClientMessage> bad -> session.send(bad.error().toMessage());
                case Decoded.Ok<ClientMessage> ok -> {
                    if (!dispatch(session, ok.message())) {
                        return;
                    }
                }
                case Decoded.End<ClientMessage> end -> {
                    return;
                }
            }
        }
    }

    /**
     * Waits before handling a frame that flood control delays rather than refuses: the reader
     * writes what it owes its client, then parks.
     */
    private static void delay(Session session, long nanos) throws IOException {
        if (nanos > 0) {
            session.flushReplies();
            try {
                Thread.sleep(Duration.ofNanos(nanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while delaying a flooding client");
            }
        }
    }

    /** Carries out one request; returns false when the session ends ({@code quit}). */
    private boolean dispatch(Session session, ClientMessage message) {
        if (!session.welcomed() && !(message instanceof ClientMessage.Hello
                || message instanceof ClientMessage.Ping || message instanceof ClientMessage.Quit)) {
            session.send(new ServerMessage.Error(ErrorCode.NOT_WELCOMED,
                    "say hello first: {\"type\":\"hello\",\"nick\":...}", message.ref()));
            return true;
        }
        try {
            switch (message) {
                case ClientMessage.Hello hello -> hub.hello(session, hello);
                case ClientMessage.Join join -> hub.join(session, join);
                case ClientMessage.Part part -> hub.part(session, part);
                case ClientMessage.Say say -> hub.say(session, say);
                case ClientMessage.Msg msg -> hub.msg(session, msg);
                case ClientMessage.Nick nick -> hub.nick(session, nick);
                case ClientMessage.Who who -> hub.who(session, who);
                case ClientMessage.Rooms rooms -> hub.rooms(session, rooms);
                case ClientMessage.History history -> hub.history(session, history);
                case ClientMessage.Stats stats -> hub.stats(session, stats);
                case ClientMessage.Ping ping -> session.send(new ServerMessage.Pong(ping.ref()));
                case ClientMessage.Pong pong -> { }
                case ClientMessage.Quit quit -> {
                    session.send(new ServerMessage.Bye(quit.ref()));
                    session.finish(Parted.REASON_QUIT);
                    return false;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("bug while handling a {} request from {}", message.type(), session, e);
            session.send(new ServerMessage.Error(ErrorCode.INTERNAL_ERROR, "internal error; request not processed",
                    message.ref()));
        }
        return true;
    }

    /**
     * Gives the writer a bounded time to flush (bye, shutdown), then closes the connection, which
     * ends a writer blocked on a client that does not read.
     */
    private void awaitWriter(Session session) throws InterruptedException {
        Duration grace = hub.config().shutdownGrace();
        if (!session.outbox().awaitTerminated(grace)) {
            session.closeConnection();
            session.outbox().awaitTerminated();
        }
    }

    private static String refOf(Decoded<ClientMessage> decoded) {
        return switch (decoded) {
            case Decoded.Ok<ClientMessage> ok -> ok.message().ref();
            case Decoded.Bad<ClientMessage> bad -> bad.error().ref();
            case Decoded.End<ClientMessage> end -> null;
        };
    }
}
