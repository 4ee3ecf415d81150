package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Non-interactive mode: reads commands and text from stdin, one per line, and carries them
 * out strictly in order: each request is sent only after the previous one has been answered
 * (so {@code /join #a} then {@code hello} says hello in {@code #a}). While reconnecting, input
 * waits. At the end of input (or {@code /quit}) it sends {@code quit}, waits for {@code bye}
 * and closes. When the connection drops for good ({@code --no-reconnect}, or a reconnect
 * refused) it ends at once, without waiting for more input.
 *
 * <p>Exit status: 0 when every request was answered and the server confirmed the quit; 1 when
 * the connection failed (dropped with reconnecting off or failed, down at the end of input, or a
 * request left unanswered).
 */
final class ScriptConsole {

    static final Duration QUIT_TIMEOUT = Duration.ofSeconds(10);

    /** What the stdin thread hands over: a line, or empty for the end (of input, or of the session). */
    private final LinkedBlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
    private final ChatClient client;
    private final BufferedReader in;
    private final Duration replyTimeout;

    ScriptConsole(ChatClient client, BufferedReader in, Duration replyTimeout) {
        this.client = client;
        this.in = in;
        this.replyTimeout = replyTimeout;
    }

    /** Runs until the end of input; returns the exit status. */
    int run() throws InterruptedException {
        client.onGiveUp(() -> lines.add(Optional.empty()));
        // stdin is read on its own daemon thread, so that a dead session need not wait for a line.
        Thread.ofPlatform().daemon().name("loomchat-stdin").start(this::readInput);
        while (true) {
            Optional<String> line = lines.take();
            if (line.isEmpty()) {
                break;
            }
            Command command = CommandParser.parse(line.get());
            if (command instanceof Command.Quit) {
                break;
            }
            if (needsConnection(command) && !client.awaitConnected()) {
                break;
            }
            CompletableFuture<ServerMessage> reply = client.execute(command);
            if (reply != null) {
                client.awaitReply(reply, replyTimeout, true);
            }
        }
        boolean connected = client.isConnected();
        boolean confirmed = client.quit(QUIT_TIMEOUT);
        return connected && confirmed && !client.anyUnacknowledged() ? 0 : 1;
    }

    private void readInput() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(Optional.of(line));
            }
        } catch (IOException e) {
            // a failing stdin ends the input like EOF
        }
        lines.add(Optional.empty());
    }

    private static boolean needsConnection(Command command) {
        return !(command instanceof Command.Empty || command instanceof Command.Help
                || command instanceof Command.Invalid || command instanceof Command.Switch);
    }
}
