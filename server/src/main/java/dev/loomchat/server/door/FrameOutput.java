package dev.loomchat.server.door;

import java.io.IOException;
import java.io.OutputStream;

/**
 * How a door puts one of its encoded frames on one connection's wire, for the
 * {@link ConnectionWriter}. A frame is encoded once for every connection of the door (see
 * {@code WireFormat}); what may still differ per connection is chosen here, at write time (an IRC
 * connection that negotiated {@code server-time} gets the frame's tags, one that did not gets the
 * line without them).
 *
 * @param <F> the door's frame
 */
@FunctionalInterface
public interface FrameOutput<F> {

    /**
     * Writes {@code frame} to {@code out} (no flush), as this connection's wire wants it.
     *
     * @return the bytes written
     */
    int writeTo(F frame, OutputStream out) throws IOException;
}
