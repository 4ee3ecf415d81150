package dev.loomchat.server;

/**
 * How many carrier threads the JDK's virtual-thread scheduler gets: at least two, even on one CPU.
 *
 * <p>Why: JDK 25 starts every virtual thread through the scheduler's shared submission queue
 * (and so does every wake-up from outside the scheduler: a timer, the parked-connection
 * watcher), and a carrier takes from that queue only once its own queue is empty. With a single
 * carrier under a load that keeps it busy, the JDK's read poller (a virtual thread on that
 * carrier) wakes readers into the carrier's own queue faster than they finish, the queue never
 * empties, and a newly accepted connection's handler thread waits unstarted for as long as the
 * load lasts: 9 s in the echo benchmark at 10,000 connections (BENCHMARKS.md, "The straggler").
 * A second carrier is woken whenever a task lands in the shared queue while it is idle, and it
 * is idle while the first one is busy with the poller's work, so new threads start within an OS
 * time slice. On one CPU the two carriers share it: the work does not grow, but where both
 * have work at once the OS time-slices them and the second steals from the first: a few
 * milliseconds more tail for a busy server's replies (BENCHMARKS.md: echo N=100's p99 went from
 * about 1.5 to 5 ms) and about a fifth less fan-out in a 1,000-member room. That is the price
 * of no client waiting seconds for its first reply.
 *
 * <p>An operator's own {@code -Djdk.virtualThreadScheduler.parallelism} is left alone, and so is
 * a machine with two CPUs or more (the JDK's default, one carrier per CPU, is two or more). The
 * scheduler reads the property once, when the first virtual thread is created, so
 * {@link #configure()} runs first thing in {@code main}.
 */
final class CarrierThreads {

    /** The JDK's system property (JEP 444) for the number of carriers. */
    static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    /** The fewest carriers the server runs with. */
    static final int MINIMUM = 2;

    private CarrierThreads() {
    }

    /** Sets {@value #PARALLELISM} to {@value #MINIMUM} on a one-CPU machine unless the operator chose. */
    static void configure() {
        if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() < MINIMUM) {
            System.setProperty(PARALLELISM, Integer.toString(MINIMUM));
        }
    }
}
