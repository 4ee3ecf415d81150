package dev.loomchat.socketserver.tls;

import javax.net.ssl.SSLException;

/**
 * The client of a TLS listener spoke something else first: its first byte does not begin a TLS
 * handshake record. Nothing of the connection has been consumed but that byte, so the handler can
 * still answer in plain text (a one-line "this port speaks TLS" is kinder than a handshake
 * error the client cannot read).
 */
public final class NotTlsException extends SSLException {

    private final int firstByte;

    NotTlsException(int firstByte) {
        super(String.format("not a TLS handshake (first byte 0x%02x)", firstByte));
        this.firstByte = firstByte;
    }

    /** The byte the client sent first (0-255). */
    public int firstByte() {
        return firstByte;
    }
}
