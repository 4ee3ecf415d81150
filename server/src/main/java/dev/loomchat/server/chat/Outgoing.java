package dev.loomchat.server.chat;

import dev.loomchat.protocol.ServerMessage;
import java.util.Arrays;

/**
 * One event on its way to clients, with its encoding in every {@link WireFormat} it was asked
 * for: fan-out hands the same {@code Outgoing} to every member's {@link Outbox}, and the first
 * outbox of each format encodes it for all the others. With one door that is one encoding per
 * event, as it always was; with three doors, at most three.
 *
 * <p>Threading: filled by the thread that delivers it (fan-out runs under its room's lock, a
 * shutdown notice on the one thread that sends it); not for concurrent use.
 */
public final class Outgoing {

    private final ServerMessage message;
    /** The first format asked for and its encoding: the only one while there is one door. */
    private WireFormat<?> format;
    private Object encoding;
    /** Further formats and their encodings, alternating. */
    private Object[] others;

    public Outgoing(ServerMessage message) {
        this.message = message;
    }

    public ServerMessage message() {
        return message;
    }

    /** The message encoded in {@code wire}: encoded now if this is the first ask for that format. */
    @SuppressWarnings("unchecked")
    public <F> F encoded(WireFormat<F> wire) {
        if (format == wire) {
            return (F) encoding;
        }
        if (format == null) {
            encoding = wire.encode(message);
            format = wire;
            return (F) encoding;
        }
        return encodedInOther(wire);
    }

    @SuppressWarnings("unchecked")
    private <F> F encodedInOther(WireFormat<F> wire) {
        int used = 0;
        if (others != null) {
            for (; used < others.length && others[used] != null; used += 2) {
                if (others[used] == wire) {
                    return (F) others[used + 1];
                }
            }
        }
        if (others == null) {
            others = new Object[4];
        } else if (used == others.length) {
            others = Arrays.copyOf(others, used * 2);
        }
        F encoded = wire.encode(message);
        others[used] = wire;
        others[used + 1] = encoded;
        return encoded;
    }

    @Override
    public String toString() {
        return message.toString();
    }
}
