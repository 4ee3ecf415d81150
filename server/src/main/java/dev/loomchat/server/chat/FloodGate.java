package dev.loomchat.server.chat;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.Parted;
import dev.loomchat.server.ChatConfig;

/**
 * Flood control at the door of the core: charges every frame a session's client sends to its
 * {@link FloodControl} budget and decides, by the door's {@link FloodPolicy}, whether the frame
 * is carried out, dropped with {@code rate_limited}, delayed, or ends the session
 * ({@code excess_flood}). Reader thread only (the one of the session it is given).
 */
final class FloodGate {

    /** What {@link ChatCore#receive} does with a frame after flood control. */
    enum Next { HANDLE, SKIP, STOP }

    private final ChatConfig config;
    private final ServerCounters counters;

    FloodGate(ChatConfig config, ServerCounters counters) {
        this.config = config;
        this.counters = counters;
    }

    /** Charges {@code frame}, read at {@code nowNanos}: whether to carry it out, skip it or stop reading. */
    Next admit(Session session, Decoded<ClientMessage> frame, long nowNanos) {
        return session.floodPolicy() == FloodPolicy.DELAY ? delayExcess(session, frame, nowNanos)
                : refuseExcess(session, frame, nowNanos);
    }

    /** Charges a request the door answers itself (see {@link ChatCore#pace}); false: stop reading. */
    boolean pace(Session session, long nowNanos) {
        if (session.floodPolicy() == FloodPolicy.DELAY) {
            return lag(session, nowNanos, null);
        }
        return session.flood().take(nowNanos) != FloodControl.Verdict.DISCONNECT;
    }

    /**
     * {@link FloodPolicy#REFUSE}: whether to carry {@code frame} out. A request over the budget is
     * refused here ({@code rate_limited}; sustained flooding ends the session), ping and pong wait
     * for their token, quit is free.
     */
    private Next refuseExcess(Session session, Decoded<ClientMessage> frame, long nowNanos) {
        switch (frame) {
            case Decoded.Ok<ClientMessage>(ClientMessage.Quit quit) -> { } // leaving is never refused
            case Decoded.Ok<ClientMessage>(ClientMessage.Pong pong) -> {
                // Answers our keepalive: never refused, but not free.
                return session.pause(session.flood().delayNanos(nowNanos)) ? Next.HANDLE : Next.STOP;
            }
            case Decoded.Ok<ClientMessage>(ClientMessage.Ping ping) -> {
                return session.pause(session.flood().delayNanos(nowNanos)) ? Next.HANDLE : Next.STOP;
            }
            default -> {
                switch (session.flood().take(nowNanos)) {
                    case ALLOW -> { }
                    case REFUSE -> {
                        counters.rateLimited.increment();
                        session.send(new ServerMessage.Error(ErrorCode.RATE_LIMITED, "over " + config.msgRate()
                                + " requests/s (burst " + config.msgBurst() + "); request dropped", refOf(frame)));
                        return Next.SKIP;
                    }
                    case DISCONNECT -> {
                        counters.floodDisconnects.increment();
                        session.send(new ServerMessage.Error(ErrorCode.EXCESS_FLOOD,
                                "kept flooding while rate limited; disconnecting", refOf(frame)));
                        session.finish(Parted.REASON_EXCESS_FLOOD);
                        return Next.STOP;
                    }
                }
            }
        }
        return Next.HANDLE;
    }

    /** {@link FloodPolicy#DELAY}: every frame but quit waits for its token; a client flooding for good is cut off. */
    private Next delayExcess(Session session, Decoded<ClientMessage> frame, long nowNanos) {
        return frame instanceof Decoded.Ok<ClientMessage>(ClientMessage.Quit quit) || lag(session, nowNanos, refOf(frame))
                ? Next.HANDLE : Next.STOP;
    }

    /** {@link FloodPolicy#DELAY}: waits for the frame's token; a client flooding for good is cut off. */
    private boolean lag(Session session, long nowNanos, String ref) {
        long lag = session.flood().lagNanos(nowNanos);
        if (lag < 0) {
            counters.floodDisconnects.increment();
            session.send(new ServerMessage.Error(ErrorCode.EXCESS_FLOOD,
                    "kept flooding while delayed; disconnecting", ref));
            session.finish(Parted.REASON_EXCESS_FLOOD);
            return false;
        }
        return session.pause(lag);
    }

    private static String refOf(Decoded<ClientMessage> frame) {
        return switch (frame) {
            case Decoded.Ok<ClientMessage> ok -> ok.message().ref();
            case Decoded.Bad<ClientMessage> bad -> bad.error().ref();
            case Decoded.End<ClientMessage> end -> null;
        };
    }
}
