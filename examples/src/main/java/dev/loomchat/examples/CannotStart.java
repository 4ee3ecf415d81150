package dev.loomchat.examples;

import java.net.SocketException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * An example server that could not start, with the one line that says why and what to do (the
 * {@code --port 0} hint for a port in use): what {@link Examples} prints instead of a stack
 * trace, before exiting 1.
 */
final class CannotStart extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private CannotStart(String message, Throwable cause) {
        super(message, cause);
    }

    /** Makes a server; a bind or platform failure becomes a {@code CannotStart}. */
    static <S> S orExplain(CommandSpec example, ServerFactory<S> factory) throws Exception {
        try {
            return factory.newServer();
        } catch (SocketException | UnresolvedAddressException | UnsupportedOperationException e) {
            throw new CannotStart(explain(example, e), e);
        }
    }

    /** Makes the server of an example, as its {@code newServer()} does. */
    @FunctionalInterface
    interface ServerFactory<S> {
        S newServer() throws Exception;
    }

    /** The line for {@code failure}, from the example's {@code --host/--port} or {@code --path}. */
    static String explain(CommandSpec example, Exception failure) {
        if (failure instanceof UnsupportedOperationException) {
            return failure.getMessage(); // forking or AF_UNIX datagrams missing here: it says why
        }
        String path = value(example, "--path");
        String host = value(example, "--host");
        if (failure instanceof UnresolvedAddressException) {
            return "cannot resolve --host " + host;
        }
        String where = path != null ? path : host + ":" + value(example, "--port");
        String reason = String.valueOf(failure.getMessage());
        String lower = reason.toLowerCase(Locale.ROOT);
        String hint;
        if (lower.contains("already in use")) {
            reason = "address already in use";
            if (path == null) {
                hint = "another server is on that port: stop it, or --port 0 picks a free port";
            } else if (example.findOption("--remove-stale") != null && !Boolean.TRUE.equals(
                    example.findOption("--remove-stale").getValue())) {
                hint = "a server runs there, or one that crashed left the file: --remove-stale removes a stale file,"
                        + " or choose another --path";
            } else {
                hint = "a server runs there, or one that crashed left the file: remove it, or choose another --path";
            }
        } else if (lower.contains("cannot assign requested address")) {
            hint = "--host must be an address of this machine, e.g. 127.0.0.1 or 0.0.0.0";
        } else if (lower.contains("permission denied")) {
            hint = path != null ? "choose a --path in a directory you may write to"
                    : "ports below 1024 need privileges: choose a higher --port, or --port 0";
        } else {
            hint = path != null ? "check --path" : "check --host and --port";
        }
        return "cannot listen on " + where + ": " + reason + " (" + hint + ")";
    }

    private static String value(CommandSpec example, String option) {
        OptionSpec spec = example.findOption(option);
        Object value = spec == null ? null : spec.getValue();
        return value == null ? null : value.toString();
    }
}
