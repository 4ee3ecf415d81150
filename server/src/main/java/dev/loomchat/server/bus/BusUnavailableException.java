package dev.loomchat.server.bus;

/**
 * The {@link RoomBus} cannot reach its backing store (Redis down, network cut): the request was
 * not served and the client gets an {@code unavailable} error. Unchecked: it crosses the chat core.
 */
public final class BusUnavailableException extends RuntimeException {
    public BusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
