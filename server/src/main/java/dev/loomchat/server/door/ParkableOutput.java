package dev.loomchat.server.door;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A parkable connection's output: every write is sent in full before it returns, as on a
 * blocking channel, also while the connection is parked and its channel is in non-blocking mode
 * ({@link ConnectionParking}). There a write that makes no progress (the client's socket buffer
 * is full) wakes the connection and goes on blocking. Unbuffered; one writer at a time (the
 * outbox's writer role).
 */
public final class ParkableOutput extends OutputStream {

    private final SocketChannel channel;
    private final ConnectionParking parking;

    public ParkableOutput(SocketChannel channel, ConnectionParking parking) {
        this.channel = channel;
        this.parking = parking;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ByteBuffer source = ByteBuffer.wrap(b, off, len);
        while (source.hasRemaining()) {
            if (channel.write(source) == 0) {
                parking.awaitBlocking(); // only a non-blocking write sends nothing
            }
        }
    }
}
