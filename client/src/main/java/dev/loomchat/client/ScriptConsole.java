package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Non-interactive mode: reads commands and text from stdin, one per line, and carries them
 * out strictly in order: each request is sent only after the previous one has been answered
 * (so {@code /join #a} then {@code hello} says hello in {@code #a}). While reconnecting, input
 * waits. At the end of input (or {@code /quit}) it sends {@code quit}, waits for {@code bye}
 * and closes.
 *
 * <p>Exit status: 0 when every request was answered and the server confirmed the quit; 1 when
 * the connection failed (dropped with reconnecting off or failed, down at the end of input, or a
 * request left unanswered).
 */
final class ScriptConsole {

    static final Duration QUIT_TIMEOUT = Duration.ofSeconds(10);

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
        try {
            String line;
            while ((line = in.readLine()) != null) {
                Command command = CommandParser.parse(line);
                if (command instanceof Command.Quit) {
                    break;
                }
                if (needsConnection(command) && !client.awaitConnected()) {
                    client.close();
                    return 1;
                }
                CompletableFuture<ServerMessage> reply = client.execute(command);
                if (reply != null) {
                    client.awaitReply(reply, replyTimeout, true);
                }
            }
        } catch (IOException e) {
            // stdin failed: treat as its end
        }
        boolean connected = client.isConnected();
        boolean confirmed = client.quit(QUIT_TIMEOUT);
        return connected && confirmed && !client.anyUnacknowledged() ? 0 : 1;
    }

    private static boolean needsConnection(Command command) {
        return !(command instanceof Command.Empty || command instanceof Command.Help
                || command instanceof Command.Invalid || command instanceof Command.Switch);
    }
}
