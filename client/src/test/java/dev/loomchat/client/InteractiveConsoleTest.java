package dev.loomchat.client;

import dev.loomchat.server.ChatServer;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interactive mode on a JLine terminal over in-memory streams, against a real server. */
class InteractiveConsoleTest {

    private ChatServer server;
    private int port;
    private final LineInput keys = new LineInput();
    private final Captured screen = new Captured();
    private final Captured err = new Captured();
    private Terminal terminal;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(0);
        port = TestServers.port(server);
        // An ExternalTerminal: JLine's line discipline over plain streams, no pty or native access.
        terminal = new ExternalTerminal("test", "xterm-256color", keys, screen, StandardCharsets.UTF_8);
        terminal.setSize(new Size(100, 30));
    }

    @AfterEach
    void stop() throws Exception {
        keys.end();
        terminal.close();
        server.close();
    }

    private CompletableFuture<Integer> runClient(Map<String, String> env, String... args) {
        var exit = new CompletableFuture<Integer>();
        var io = ClientIo.terminal(terminal, err.printStream(), env);
        Thread.ofPlatform().daemon().name("interactive-client").start(() -> {
            try {
                exit.complete(ChatClientMain.run(args, io, PipedClient.FAST));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
        return exit;
    }

    /** The screen output with ANSI escape sequences removed. */
    private String text() {
        return screen.text().replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replaceAll("\u001b[=>]", "");
    }

    private void awaitText(String fragment) {
        await().atMost(PipedClient.TIMEOUT).until(() -> text().contains(fragment));
    }

    @Test
    void incomingMessagesPrintAboveTheLineBeingTyped() throws Exception {
        var exit = runClient(Map.of("USER", "carol"), "--port", Integer.toString(port), "--room", "#t", "--no-color");
        awaitText("#t> ");
        keys.type("half typ");
        awaitText("#t> half typ");
        try (var bob = PipedClient.welcomed(port, "bob", "--room", "#t")) {
            bob.line("hello from bob");
            awaitText("<bob> hello from bob");
            // After the message the prompt and the half-typed text are drawn again, below it.
            String after = text().substring(text().lastIndexOf("<bob> hello from bob"));
            assertTrue(after.contains("#t> half typ"), after);
            keys.type("ed\r");
            bob.awaitLine("message #t carol: half typed");
            keys.type("/msg bob psst\r");
            bob.awaitLine("private carol -> bob: psst");
            awaitText("[you -> bob] psst");
            keys.type("/join #other\r");
            awaitText("#other> ");
            keys.type("/frob\r");
            awaitText("!! unknown command /frob (try /help)");
            keys.type("/quit\r");
            assertEquals(0, exit.get(10, TimeUnit.SECONDS));
            bob.awaitLine("parted #t carol (quit)");
        }
        assertFalse(screen.text().contains("\u001b[" + NickColors.colorOf("bob") + "mbob"), "no colours with --no-color");
    }

    @Test
    void nicksAreColouredUnlessNoColorIsSet() throws Exception {
        var exit = runClient(Map.of(), "--port", Integer.toString(port), "--nick", "carol", "--room", "#c");
        awaitText("#c> ");
        try (var bob = PipedClient.welcomed(port, "bob", "--room", "#c")) {
            bob.line("colourful");
            awaitText("colourful");
            assertTrue(screen.text().contains("<\u001b[" + NickColors.colorOf("bob") + "mbob\u001b[0m> colourful"),
                    screen.text());
            bob.assertFinishesWith(0);
        }
        keys.type("/quit\r");
        assertEquals(0, exit.get(10, TimeUnit.SECONDS));
    }

    @Test
    void noColorEnvironmentVariableIsHonoured() throws Exception {
        var exit = runClient(Map.of("NO_COLOR", "1"), "--port", Integer.toString(port), "--nick", "carol", "--room", "#n");
        awaitText("#n> ");
        try (var bob = PipedClient.welcomed(port, "bob", "--room", "#n")) {
            bob.line("plain");
            awaitText("<bob> plain");
            assertTrue(screen.text().contains("<bob> plain"), screen.text());
            bob.assertFinishesWith(0);
        }
        keys.type("/quit\r");
        assertEquals(0, exit.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aDropWithoutReconnectEndsTheSessionWithExitOne() throws Exception {
        var exit = runClient(Map.of(), "--port", Integer.toString(port), "--nick", "carol", "--no-reconnect");
        awaitText("> ");
        keys.type("half");
        server.close();
        assertEquals(1, exit.get(10, TimeUnit.SECONDS));
        awaitText("!! connection lost");
    }

    @Test
    void passwordsAreMaskedAskedForWhenLeftOutAndNeverKeptInTheHistory() throws Exception {
        var exit = runClient(Map.of(), "--port", Integer.toString(port), "--nick", "carol", "--no-color");
        awaitText("> ");
        keys.type("before the secrets\r");
        awaitText("!! you are not in a room");
        keys.type("/register \"correct horse battery\"");
        awaitText("/register " + "*".repeat("\"correct horse battery\"".length()));
        keys.type("\r");
        awaitText("-- registered the account carol: you are logged in to it");
        // Back in the history: the line before the password command comes back, not the password command.
        int before = text().length();
        keys.type("\u0010"); // Ctrl-P: the previous line of the history
        await().atMost(PipedClient.TIMEOUT).until(() -> text().substring(before).contains("before the secrets"));
        assertFalse(text().substring(before).contains("/register"), text().substring(before));
        keys.type("\u0015"); // Ctrl-U: the recalled line is dropped
        // Typed alone, /password asks for both passwords, each masked.
        keys.type("/password\r");
        awaitText("current account password: ");
        keys.type("correct horse battery\r");
        awaitText("new account password: ");
        keys.type("new secret words\r");
        awaitText("-- account carol: password changed");
        assertTrue(text().contains("current account password: " + "*".repeat("correct horse battery".length())),
                text());
        keys.type("/quit\r");
        assertEquals(0, exit.get(10, TimeUnit.SECONDS));
        assertFalse(screen.text().contains("correct horse") || screen.text().contains("new secret"), screen.text());
        assertFalse(err.text().contains("correct horse") || err.text().contains("new secret"), err.text());
    }
}
