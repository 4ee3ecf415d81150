package dev.loomchat.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the processes a test started, by their own handle (never by name). */
final class TestProcesses {

    private TestProcesses() {
    }

    /** SIGTERM, then SIGKILL if {@code process} has not exited within {@code grace}. */
    static void stop(Process process, Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
