package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Interactive mode: a JLine line editor (history, tab completion via {@link ChatCompleter})
 * whose prompt names the current room; incoming events appear above it ({@link TerminalView}).
 * Each command waits briefly for its reply, so the next prompt already reflects it (e.g. the
 * room just joined). {@code /quit}, Ctrl-D and Ctrl-C leave; so does a connection lost for good.
 *
 * <p>A line the server will echo (text for the room, {@code /me}, {@code /msg}) is erased from the
 * screen when Enter is pressed, so it shows once, as the server's echo; commands stay on screen
 * above what they caused. An erased line that the server then refuses is still in the history
 * (Up arrow).
 *
 * <p>Account passwords ({@code /register}, {@code /password}, {@code /unregister}) never show:
 * typed on the command line they show as {@code *} ({@link PasswordMasking}), the line is
 * erased on Enter and kept out of the history; a password command typed alone asks for them
 * with a masked prompt.
 */
final class InteractiveConsole {

    /** How long a command waits for its reply before the prompt comes back anyway. */
    static final Duration REPLY_WAIT = Duration.ofSeconds(5);
    static final Duration QUIT_TIMEOUT = Duration.ofSeconds(3);

    private final LineReader reader;
    private final SessionState state;

    private InteractiveConsole(LineReader reader, SessionState state) {
        this.reader = reader;
        this.state = state;
    }

    /** Whether {@code terminal} can show ANSI colours. */
    static boolean supportsColor(Terminal terminal) {
        if (terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
            return false;
        }
        Integer colors = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
        return colors != null && colors >= 8;
    }

    /** A line reader for chat: no quote or escape processing, no {@code !} history expansion. */
    static LineReader lineReader(Terminal terminal, SessionState state) {
        var parser = new DefaultParser();
        parser.setEscapeChars(null);   // a backslash is just a character in chat
        parser.setQuoteChars(new char[0]); // "don't" must not open a multi-line quote
        return LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("loomchat")
                .parser(parser)
                .completer(new ChatCompleter(state))
                .variable(LineReader.HISTORY_SIZE, 500)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .build();
    }

    /**
     * Makes Enter erase the line being accepted when the server will echo it. JLine checks
     * {@link LineReader.Option#ERASE_LINE_ON_FINISH} after the accept widget has run, so setting it
     * per line, in a wrapper around that widget, erases exactly those lines.
     */
    private void eraseEchoedLines(ChatClient client) {
        Widget accept = reader.getWidgets().get(LineReader.ACCEPT_LINE);
        reader.getWidgets().put(LineReader.ACCEPT_LINE, () -> {
            String typed = reader.getBuffer().toString();
            // A password command goes too, connected or not: even masked, it should leave no trace.
            if (CommandParser.carriesPassword(typed)
                    || client.isConnected() && echoedByServer(CommandParser.parse(typed))) {
                reader.setOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
            } else {
                reader.unsetOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
            }
            return accept.apply();
        });
    }

    /**
     * A password command typed without its passwords, with them asked for now: read with
     * {@code *} for each character, and never kept in the history (JLine keeps no masked line).
     */
    private Command withPasswords(Command command) {
        return switch (command) {
            case Command.Register r when r.password() == null -> new Command.Register(ask("account password: "));
            case Command.Password p when p.oldPassword() == null ->
                    new Command.Password(ask("current account password: "), ask("new account password: "));
            case Command.Unregister u when u.password() == null -> new Command.Unregister(ask("account password: "));
            default -> command;
        };
    }

    private String ask(String prompt) {
        return reader.readLine(prompt, '*');
    }

    private boolean echoedByServer(Command command) {
        return command instanceof Command.Msg
                || ((command instanceof Command.Say || command instanceof Command.Me) && state.current() != null);
    }

    /**
     * Runs the session: {@code client} must already be {@link ChatClient#start() started}.
     * Returns the exit status: 0 after {@code /quit}, 1 if the connection dropped for good
     * ({@code --no-reconnect}, or a reconnect refused).
     */
    static int run(ChatClient client, LineReader reader) throws InterruptedException {
        return new InteractiveConsole(reader, client.state()).loop(client);
    }

    private int loop(ChatClient client) throws InterruptedException {
        eraseEchoedLines(client);
        var gaveUp = new AtomicBoolean();
        client.onGiveUp(() -> {
            gaveUp.set(true);
            reader.getTerminal().raise(Terminal.Signal.INT); // ends a readLine in progress
        });
        reader.printAbove("type /help for commands, /quit to leave");
        while (!gaveUp.get()) {
            String line;
            try {
                line = reader.readLine(TerminalView.prompt(state.current()), null, PasswordMasking.INSTANCE, null);
            } catch (UserInterruptException | EndOfFileException e) {
                break;
            }
            Command command = CommandParser.parse(line);
            if (command instanceof Command.Quit) {
                break;
            }
            try {
                command = withPasswords(command);
            } catch (UserInterruptException e) {
                continue; // Ctrl-C while asked for a password: the command is dropped
            } catch (EndOfFileException e) {
                break;
            }
            CompletableFuture<ServerMessage> reply = client.execute(command);
            if (reply != null) {
                client.awaitReply(reply, REPLY_WAIT, false);
            }
        }
        client.quit(QUIT_TIMEOUT);
        return gaveUp.get() ? ChatClientMain.EXIT_CONNECTION : 0;
    }
}
