package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One loomchat node as a separate process ({@link ChatServerMain} on the test class path, as
 * {@code ./loomchat server --cluster ...} runs it) on a free loopback port. {@link #kill} is
 * SIGKILL; {@link #close} is SIGTERM (graceful) and waits for the exit. Stopped by PID only.
 */
final class ClusterNode implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    /** Process start-up on a busy 2-core machine: an upper bound only. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final InetSocketAddress address;

    private ClusterNode(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /** Starts a node on {@code redis}; {@code ttl} is its --cluster-ttl. Logs go to {@code log}. */
    static ClusterNode start(URI redis, Duration ttl, Path log, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChatServerMain.class.getName(),
                "--port", "0", "--cluster", redis.toString(), "--cluster-ttl", ttl.toMillis() + "ms",
                "--msg-rate", "0", "--stats-interval", "0", "--shutdown-grace", "1s", "--exempt-loopback"));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            CompletableFuture<InetSocketAddress> listening = CompletableFuture.supplyAsync(() -> {
                try {
                    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                            StandardCharsets.UTF_8));
                    for (String line; (line = out.readLine()) != null; ) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            });
            InetSocketAddress address = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (address == null) {
                fail("the node exited before listening; see " + log);
            }
            return new ClusterNode(process, address);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Runs {@link ChatServerMain} with {@code args} to its exit; returns "EXIT\nstderr". */
    static String runToExit(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChatServerMain.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("ChatServerMain " + String.join(" ", args) + " did not exit");
            }
            return process.exitValue() + "\n" + java.nio.file.Files.readString(log);
        } finally {
            process.destroyForcibly();
        }
    }

    InetSocketAddress address() {
        return address;
    }

    TestClient connect() throws IOException {
        return TestClient.connect(address);
    }

    /** SIGKILL: the node vanishes without telling anyone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        TestProcesses.stop(process, START_TIMEOUT);
    }
}
