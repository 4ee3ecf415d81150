package dev.loomchat.server.chat;

/**
 * Per-connection flood control: a token bucket of {@code burst} tokens refilled at {@code rate}
 * per second (rate 0 = unlimited), and the "excess flood" rule: more than {@code 2 × burst}
 * refusals within {@value #WINDOW_NANOS} ns means the client keeps flooding and is dropped.
 *
 * <p>Every frame pays a token. Requests over the budget are {@linkplain #take refused}; the
 * frames a client must always be able to send ({@code ping}, and {@code pong}, which answers the
 * server) are never refused but {@linkplain #delayNanos delayed} until the bucket has refilled,
 * so that a flood of them costs its sender time, not the server a carrier thread.
 *
 * <p>Threading: confined to the connection's reader thread.
 */
final class FloodControl {

    /** The sliding window for counting refusals: 10 s. */
    static final long WINDOW_NANOS = 10_000_000_000L;

    /** What to do with a frame. */
    enum Verdict { ALLOW, REFUSE, DISCONNECT }

    private final int rate;
    private final int burst;
    private final int maxRefusals;
    private double tokens;
    private long lastRefill;
    private int refusals;
    private long windowStart;
    /** {@link FloodPolicy#DELAY}: how long the client was kept waiting in the window, and since when. */
    private long lagNanos;
    private long lagWindowStart;

    FloodControl(int ratePerSecond, int burst, long nowNanos) {
        this.rate = ratePerSecond;
        this.burst = burst;
        this.maxRefusals = 2 * burst;
        this.tokens = burst;
        this.lastRefill = nowNanos;
        this.windowStart = nowNanos;
        this.lagWindowStart = nowNanos;
    }

    /** Takes a token for one frame received at {@code nowNanos}. */
    Verdict take(long nowNanos) {
        if (rate == 0) {
            return Verdict.ALLOW;
        }
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ALLOW;
        }
        if (nowNanos - windowStart > WINDOW_NANOS) {
            windowStart = nowNanos;
            refusals = 0;
        }
        return ++refusals > maxRefusals ? Verdict.DISCONNECT : Verdict.REFUSE;
    }

    /**
     * Takes a token for a frame that is never refused, going into debt if the bucket is empty.
     *
     * @return how long the reader must wait before it handles the frame (0: at once); waiting
     *         pays the debt back
     */
    long delayNanos(long nowNanos) {
        if (rate == 0) {
            return 0;
        }
        refill(nowNanos);
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) (-tokens * 1e9 / rate);
    }

    /**
     * Takes a token for a request of a session whose excess is delayed ({@link FloodPolicy#DELAY}),
     * going into debt if the bucket is empty.
     *
     * @return how long the reader must wait before it carries the request out (0: at once), or
     *         -1 if the client has been kept waiting for more than half of the last
     *         {@value #WINDOW_NANOS} ns: it floods for good
     */
    long lagNanos(long nowNanos) {
        long delay = delayNanos(nowNanos);
        if (delay == 0) {
            return 0;
        }
        if (nowNanos - lagWindowStart > WINDOW_NANOS) {
            lagWindowStart = nowNanos;
            lagNanos = 0;
        }
        lagNanos += delay;
        return lagNanos > WINDOW_NANOS / 2 ? -1 : delay;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastRefill) * rate / 1e9);
        lastRefill = nowNanos;
    }
}
