package dev.loomchat.socketserver;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Tells a client that went away (reset, broken pipe, closed channel, EOF) from a real error.
 *
 * <p>A vanished client is normal on a server: {@link BaseServer#handleError} logs it as one short
 * line instead of a stack trace, so thousands of abrupt disconnects do not flood the log. A read
 * timeout is not a disconnect: the client is still there, it was too slow, and Python reports
 * it as an error; so does {@code handleError}.
 */
public final class ClientDisconnects {

    private ClientDisconnects() {
    }

    /** Whether {@code error} (or one of its causes) only means that the peer went away. */
    public static boolean isDisconnect(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof ClosedChannelException) {
                return true;
            }
            if (t instanceof SocketException || t instanceof IOException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (message.contains("connection reset") || message.contains("broken pipe")
                        || message.contains("connection aborted") || message.contains("socket closed")
                        || message.contains("socket is closed")) {
                    return true;
                }
            }
        }
        return false;
    }
}
