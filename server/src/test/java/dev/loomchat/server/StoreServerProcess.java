package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * {@code loomchat server} as a child process on a free loopback port, as the launcher runs it
 * ({@link ChatServerMain} on the test class path): for tests that stop it with SIGTERM or
 * SIGKILL and start it again on the same data directory. Stopped by its own handle only.
 */
final class StoreServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    /** Process start-up on a busy 2-core machine: an upper bound only. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final InetSocketAddress address;
    private final Path log;

    private StoreServerProcess(Process process, InetSocketAddress address, Path log) {
        this.process = process;
        this.address = address;
        this.log = log;
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ChatServerMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts a server with {@code --data data} and {@code extra}; its stderr is appended to {@code log}. */
    static StoreServerProcess start(Path data, Path log, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--data", data.toString(), "--msg-rate", "0",
                "--stats-interval", "0", "--shutdown-grace", "1s"));
        args.addAll(List.of(extra));
        Process process = new ProcessBuilder(command(args.toArray(String[]::new)))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
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
                fail("the server exited before listening; log:\n" + Files.readString(log));
            }
            return new StoreServerProcess(process, address, log);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Runs {@code loomchat server} with {@code args} to its exit. */
    static Exit runToExit(Path log, String... args) throws Exception {
        Process process = new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        try {
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("loomchat server " + String.join(" ", args) + " did not exit");
            }
            return new Exit(process.exitValue(), Files.readString(log));
        } finally {
            process.destroyForcibly();
        }
    }

    /** How a run ended: its status and everything it printed. */
    record Exit(int status, String output) {
    }

    InetSocketAddress address() {
        return address;
    }

    TestClient welcomed(String nick) throws IOException {
        TestClient client = TestClient.connect(address);
        client.hello(nick);
        return client;
    }

    /** SIGKILL: no shutdown of any kind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** SIGTERM, and the exit status of the graceful shutdown. */
    int stop() throws Exception {
        process.destroy();
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            fail("the server did not stop on SIGTERM; log:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        TestProcesses.stop(process, START_TIMEOUT);
    }
}
