package dev.loomchat.socketserver;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What servers under test passed to {@code handleError}: Python's test servers re-raise in
 * {@code handle_error} so that any handler error fails the test; here they record it and the test
 * asserts at the end (a re-throw from a handler thread would be lost).
 */
final class HandlerErrors {

    record Reported(SocketAddress clientAddress, Exception error) {
    }

    private final ConcurrentLinkedQueue<Reported> reported = new ConcurrentLinkedQueue<>();

    void add(SocketAddress clientAddress, Exception error) {
        reported.add(new Reported(clientAddress, error));
    }

    List<Reported> all() {
        return List.copyOf(reported);
    }

    List<Exception> errors() {
        return reported.stream().map(Reported::error).toList();
    }

    int count() {
        return reported.size();
    }

    /** Fails with the first reported error as the cause. */
    void assertNone() {
        Reported first = reported.peek();
        if (first != null) {
            fail(reported.size() + " handler error(s), first from " + first.clientAddress(), first.error());
        }
    }
}
