package dev.loomchat.socketserver;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The byte streams of one stream connection, under a {@link StreamRequestHandler}'s
 * {@code rfile} and {@code wfile}: the socket's own by default, or a layer over them that a
 * handler puts in between ({@link StreamRequestHandler#streams()}; TLS is the usual one, see
 * {@link dev.loomchat.socketserver.tls.TlsStreams}).
 *
 * @param input  what {@code rfile} reads (it adds its buffer)
 * @param output what {@code wfile} is (as given: add any buffering yourself)
 */
public record ConnectionStreams(InputStream input, OutputStream output) {

    public ConnectionStreams {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
    }
}
