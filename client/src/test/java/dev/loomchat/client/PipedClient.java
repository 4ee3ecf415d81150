package dev.loomchat.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code ./loomchat client} in non-interactive mode, run in-process: {@link ChatClientMain#run}
 * on a thread, with a typed stdin and captured stdout and stderr.
 */
final class PipedClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Fast reconnects for tests. */
    static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.2);

    final LineInput in = new LineInput();
    final Captured out = new Captured();
    final Captured err = new Captured();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private PipedClient(String[] args) {
        var io = ClientIo.piped(in, out.printStream(), err.printStream(), Map.of("USER", "tester"));
        thread = Thread.ofPlatform().daemon().name("piped-client").start(() -> {
            try {
                exit.complete(ChatClientMain.run(args, io, FAST));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
    }

    /** Starts a client on the server at {@code port} with {@code args} added. */
    static PipedClient start(int port, String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        all.addAll(List.of(args));
        return new PipedClient(all.toArray(String[]::new));
    }

    /** Starts a client with exactly {@code args}. */
    static PipedClient withArgs(String... args) {
        return new PipedClient(args);
    }

    /** Starts a client and waits for its welcome line. */
    static PipedClient welcomed(int port, String nick, String... args) {
        List<String> all = new ArrayList<>(List.of("--nick", nick));
        all.addAll(List.of(args));
        var client = start(port, all.toArray(String[]::new));
        client.awaitLine("welcome " + nick);
        return client;
    }

    void line(String text) {
        in.line(text);
    }

    List<String> lines() {
        return out.lines();
    }

    void awaitLine(String line) {
        try {
            await().atMost(TIMEOUT).until(() -> lines().contains(line) || exit.isDone());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no line '" + line + "' within " + TIMEOUT + " in " + lines() + "; stderr: "
                    + err.text(), e);
        }
        if (!lines().contains(line)) {
            throw new AssertionError("no line '" + line + "' in " + lines() + "; stderr: " + err.text());
        }
    }

    /** Ends stdin and waits for the exit status. */
    int finish() throws Exception {
        in.end();
        return exitStatus();
    }

    int exitStatus() throws Exception {
        return exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    void assertFinishesWith(int status) throws Exception {
        assertEquals(status, finish(), () -> "stdout: " + lines() + "\nstderr: " + err.text());
    }

    @Override
    public void close() {
        in.end();
        try {
            thread.join(TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
