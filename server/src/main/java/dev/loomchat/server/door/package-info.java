/**
 * Doors onto the chat core: one sub-package per way in ({@code lines}: JSON lines over TCP or a
 * Unix socket; {@code irc}: the IRC client protocol over TCP). A door turns the bytes on its wire
 * into requests for the {@link dev.loomchat.server.chat.ChatCore} and the core's events into
 * bytes on its wire; it never reaches into rooms or sessions.
 *
 * <p>This package holds what every door's connections share: the fair, budgeted input
 * ({@link dev.loomchat.server.door.FairInputStream}), the one writer of a connection's outbox
 * ({@link dev.loomchat.server.door.ConnectionWriter}, with its pooled buffers), a socket
 * connection as the core's peer ({@link dev.loomchat.server.door.SocketPeer}), the TLS-first
 * handler ({@link dev.loomchat.server.door.TlsStreamHandler}), the handler whose quiet
 * connections wait for input without a thread ({@link dev.loomchat.server.door.ParkingStreamHandler}:
 * {@link dev.loomchat.server.door.ParkableInput} tells it the client is quiet,
 * {@link dev.loomchat.server.door.ConnectionParking} parks the connection on the one
 * {@code ParkedConnections} selector thread, {@link dev.loomchat.server.door.ParkableOutput}
 * writes to it meanwhile) and the TCP listener ({@link dev.loomchat.server.door.TcpListener}).
 */
package dev.loomchat.server.door;
