package dev.loomchat.socketserver;

import java.nio.channels.DatagramChannel;

/**
 * The request of a datagram server (Python's {@code (data, socket)} tuple).
 *
 * @param packet the bytes of the datagram, at most {@link UDPServer#maxPacketSize()} (longer
 *               datagrams are truncated, as in Python); owned by the handler
 * @param socket the server's own socket, shared by every request; handlers send replies through
 *               it and must not close it
 */
public record DatagramRequest(byte[] packet, DatagramChannel socket) {
}
