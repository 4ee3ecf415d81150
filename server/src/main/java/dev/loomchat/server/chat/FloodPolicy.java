package dev.loomchat.server.chat;

/**
 * What flood control does with a request over a session's budget, chosen by the door when it
 * opens the session. Either way every frame pays a token, {@code ping} and {@code pong} are only
 * ever delayed, {@code quit} is free, and sustained flooding ends the session
 * ({@code excess_flood}).
 */
public enum FloodPolicy {

    /**
     * The JSON doors' rule (PROTOCOL.md §8): a request over the budget is refused
     * ({@code rate_limited}), so a client always gets an answer at once; more than 2 × burst
     * refusals within 10 s end the session.
     */
    REFUSE,

    /**
     * IRC's rule ("fake lag"): a request over the budget waits until its token is due, and is
     * then carried out; IRC clients pace themselves and expect lag, not refusals. A client kept
     * waiting for more than half of a 10 s window is flooding for good and the session ends.
     */
    DELAY
}
