package dev.loomchat.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test's directory, for a file system that fills up or is read-only.
 * Needs root (CI runs as root); elsewhere the test is skipped, saying why. Unmounted by
 * {@link #close}.
 */
final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs with {@code options} ({@code size=4m}, {@code ro}) on {@code dir}, or skips the test. */
    static Tmpfs mount(Path dir, String options) throws Exception {
        assumeTrue(isRoot(), "mounting a small tmpfs needs root (CI runs as root); skipped as "
                + System.getProperty("user.name"));
        Result result = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        assumeTrue(result.status == 0, "mount -t tmpfs failed (no CAP_SYS_ADMIN here?): " + result.output);
        return new Tmpfs(dir);
    }

    static boolean isRoot() {
        try {
            return run("id", "-u").output.trim().equals("0");
        } catch (Exception e) {
            return false;
        }
    }

    /** Remounts with {@code options} (e.g. {@code remount,ro}). */
    void remount(String options) throws Exception {
        Result result = run("mount", "-o", options, mountPoint.toString());
        if (result.status != 0) {
            throw new IOException("mount -o " + options + " failed: " + result.output);
        }
    }

    @Override
    public void close() throws Exception {
        Result result = run("umount", mountPoint.toString());
        if (result.status != 0) {
            run("umount", "-l", mountPoint.toString()); // busy: detach now, freed when the last file closes
        }
    }

    private record Result(int status, String output) {
    }

    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), output);
    }
}
