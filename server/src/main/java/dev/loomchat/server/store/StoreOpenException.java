package dev.loomchat.server.store;

import java.io.IOException;

/**
 * The store could not be opened: its message is the one line the server prints before it exits
 * 1, saying what is wrong and what to do (a locked, unwritable or corrupt data directory, a
 * database from a newer version). An {@code IOException}, as the server's other failures to start are.
 */
public final class StoreOpenException extends IOException {
    public StoreOpenException(String message) {
        super(message);
    }

    public StoreOpenException(String message, Throwable cause) {
        super(message, cause);
    }
}
