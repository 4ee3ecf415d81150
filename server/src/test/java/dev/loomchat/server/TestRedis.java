package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} (found on {@code PATH}; {@code ./loomchat test} installs Debian's package
 * where it is missing) on a free loopback port, for cluster tests: persistence off unless asked
 * ({@code durable}: AOF with {@code appendfsync always} in a temp dir, so a restart keeps every
 * acknowledged write).
 * Stopped by its PID ({@link Process#destroy}), never by name.
 */
final class TestRedis implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final Path dir;
    private final boolean durable;
    private Process process;

    private TestRedis(int port, Path dir, boolean durable) {
        this.port = port;
        this.dir = dir;
        this.durable = durable;
    }

    /** Starts one; {@code dir} is its working directory (logs, AOF). */
    static TestRedis start(Path dir, boolean durable) throws IOException {
        TestRedis redis = new TestRedis(freePort(), dir, durable);
        redis.startProcess();
        return redis;
    }

    /** The first {@code redis-server} on {@code PATH}, else in the folders packages put it in. */
    static String executable() {
        List<Path> folders = new ArrayList<>();
        for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!folder.isEmpty()) {
                folders.add(Path.of(folder));
            }
        }
        folders.addAll(List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/usr/sbin")));
        for (Path folder : folders) {
            Path candidate = folder.resolve("redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        fail("redis-server is not installed: ./loomchat test installs it as root on Debian/Ubuntu "
                + "(else: apt-get install redis-server)");
        return null;
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Starts (again, on the same port and directory) and waits until it answers PING. */
    void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of(executable(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString(), "--protected-mode", "no"));
        if (durable) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            command.addAll(List.of("--appendonly", "no"));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        await("redis-server on port " + port).atMost(START_TIMEOUT).ignoreExceptions().until(this::answers);
    }

    /** Whether it answers {@code PING} (inline command, no client library needed). */
    boolean answers() throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int n = socket.getInputStream().readNBytes(reply, 0, 7);
            return new String(reply, 0, n, java.nio.charset.StandardCharsets.US_ASCII).equals("+PONG\r\n");
        }
    }

    /** SIGKILL: nothing is flushed on the way out (with {@code durable}, nothing needs to be). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            fail("redis-server " + process.pid() + " did not die");
        }
    }

    @Override
    public void close() {
        TestProcesses.stop(process, START_TIMEOUT);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
