package dev.loomchat.server.store;

/**
 * The store cannot do what was asked now (an I/O error, a full disk, a write that did not become
 * durable in time); it keeps trying by itself. Unchecked: callers turn it into the request's
 * {@code unavailable} error.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
