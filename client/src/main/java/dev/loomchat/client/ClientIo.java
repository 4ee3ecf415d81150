package dev.loomchat.client;

import org.jline.terminal.Terminal;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The client's outside world, injectable for tests: standard streams, environment, and, for
 * interactive mode, a terminal.
 *
 * @param in          standard input (non-interactive mode reads it as UTF-8 lines)
 * @param out         standard output
 * @param err         standard error (usage errors, "cannot connect")
 * @param env         the environment ({@code USER}, {@code NO_COLOR}, {@code LOOMCHAT_PASSWORD})
 * @param interactive whether to run interactively (stdin and stdout are a terminal)
 * @param terminal    the terminal for interactive mode; null to open the system terminal
 */
record ClientIo(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean interactive,
                Terminal terminal) {

    /** Non-interactive IO over the given streams. */
    static ClientIo piped(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        return new ClientIo(in, out, err, env, false, null);
    }

    /** Interactive IO on {@code terminal}; {@code out} and {@code err} still get startup errors. */
    static ClientIo terminal(Terminal terminal, PrintStream err, Map<String, String> env) {
        return new ClientIo(terminal.input(), new PrintStream(terminal.output(), true), err, env, true, terminal);
    }
}
