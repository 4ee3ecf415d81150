package dev.loomchat.socketserver;

import java.net.SocketAddress;

/**
 * What {@link BaseServer#getRequest()} returns: the request and where it came from.
 *
 * @param request       the accepted connection or received datagram
 * @param clientAddress where it came from (an {@link java.net.InetSocketAddress} or a
 *                      {@link java.net.UnixDomainSocketAddress}, which may have an empty path for
 *                      an unbound Unix client, as Python's {@code ''})
 * @param <R>           the server's request type
 */
public record ReceivedRequest<R>(R request, SocketAddress clientAddress) {
}
