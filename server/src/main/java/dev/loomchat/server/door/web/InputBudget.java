package dev.loomchat.server.door.web;

import dev.loomchat.server.ChatConfig;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * What a WebSocket connection's input costs its reader, as the JSON-lines door's
 * {@code FairInputStream} charges a TCP connection: every byte is charged against the
 * connection's byte budget ({@code msgRate} × {@code maxLineBytes} per second, bursts of
 * {@code msgBurst} × {@code maxLineBytes}; the reader sleeps while in debt, and through TCP the
 * client is slowed down), and a reader that keeps receiving frames that get no reply (WebSocket
 * pings and pongs, protocol pongs, blank messages) steps aside now and then, so that a client
 * whose input is always there cannot hold a carrier thread (a virtual thread is not pre-empted).
 *
 * <p>One owner thread: the connection's reader.
 */
final class InputBudget {

    /** Unanswered frames in a row before the reader steps aside. */
    static final int FRAMES_IN_A_ROW = 16;

    /** How long it steps aside: long enough for the other runnable threads to be picked. */
    static final long FAIR_PARK_NANOS = 20_000;

    private final double bytesPerNano;
    private final long burstBytes;
    private double allowance;
    private long lastRefill = System.nanoTime();
    private int unansweredInARow;

    InputBudget(long bytesPerSecond, long burstBytes) {
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.burstBytes = burstBytes;
        this.allowance = burstBytes;
    }

    /** The budget of a chat connection (0 = unlimited, as flood control). */
    static InputBudget forChat(ChatConfig config) {
        return new InputBudget((long) config.msgRate() * config.maxLineBytes(),
                (long) config.msgBurst() * config.maxLineBytes());
    }

    /**
     * Charges one frame of {@code bytes} that arrived at {@code now}; waits while the budget is in
     * debt.
     *
     * @param answered whether the frame gets a reply (a request, a bad message): then it is not a
     *                 free flood and the count of frames in a row starts again
     * @throws InterruptedException if the reader was interrupted (its connection is being closed)
     */
    void charge(long bytes, boolean answered, long now) throws InterruptedException {
        if (answered) {
            unansweredInARow = 0;
        } else if (++unansweredInARow >= FRAMES_IN_A_ROW) {
            unansweredInARow = 0;
            LockSupport.parkNanos(FAIR_PARK_NANOS); // not Thread.yield(): see FairInputStream
        }
        if (bytesPerNano == 0) {
            return;
        }
        allowance = Math.min(burstBytes, allowance + (now - lastRefill) * bytesPerNano) - bytes;
        lastRefill = now;
        if (allowance < 0) {
            Thread.sleep(Duration.ofNanos((long) (-allowance / bytesPerNano)));
        }
    }
}
