/**
 * TLS for stream handlers: the server side of a handshake over an accepted connection
 * ({@link dev.loomchat.socketserver.tls.TlsStreams}), for a handler's
 * {@link dev.loomchat.socketserver.StreamRequestHandler#streams()}. Python's counterpart is the
 * {@code ssl} module's {@code wrap_socket}, not {@code socketserver}; it lives beside the port,
 * not in it. JDK only ({@code javax.net.ssl}).
 */
package dev.loomchat.socketserver.tls;
