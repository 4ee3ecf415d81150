package dev.loomchat.server.chat;

/**
 * Per-connection flood control: a token bucket of {@code burst} tokens refilled at {@code rate}
 * per second (rate 0 = unlimited), and the "excess flood" rule: more than {@code 2 × burst}
 * refusals within {@value #WINDOW_NANOS} ns means the client keeps flooding and is dropped.
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

    FloodControl(int ratePerSecond, int burst, long nowNanos) {
        this.rate = ratePerSecond;
        this.burst = burst;
        this.maxRefusals = 2 * burst;
        this.tokens = burst;
        this.lastRefill = nowNanos;
        this.windowStart = nowNanos;
    }

    /** Takes a token for one frame received at {@code nowNanos}. */
    Verdict take(long nowNanos) {
        if (rate == 0) {
            return Verdict.ALLOW;
        }
        tokens = Math.min(burst, tokens + (nowNanos - lastRefill) * rate / 1e9);
        lastRefill = nowNanos;
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
}
