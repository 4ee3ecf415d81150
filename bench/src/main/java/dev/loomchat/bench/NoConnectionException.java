package dev.loomchat.bench;

import java.io.IOException;

/**
 * A scenario in which every connection failed (nothing listening, every hello refused, ...): there
 * is nothing to measure. {@link Main} prints the message as one line and exits 1; the runner
 * records it as the row's failure.
 */
final class NoConnectionException extends IOException {

    NoConnectionException(String message) {
        super(message);
    }
}
