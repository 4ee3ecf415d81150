/**
 * The JSON-lines door (PROTOCOL.md): one {@link dev.loomchat.socketserver.StreamRequestHandler}
 * per connection on the socketserver port's threading TCP and Unix stream servers
 * ({@link dev.loomchat.server.door.lines.LinesListeners}), reading and decoding lines through the
 * shared {@link dev.loomchat.server.door.FairInputStream} ({@code LinesHandler}), encoding events as {@code Frame}s ({@code LinesPeer}) and writing a
 * connection's outbox (the shared {@link dev.loomchat.server.door.ConnectionWriter}).
 *
 * <p>Owns: the socket, the line reader, the JSON encoding and the writer threads. May not touch:
 * rooms, nicks or sessions' state (it calls the {@link dev.loomchat.server.chat.ChatCore} and
 * reads a session's end reason), the bus.
 */
package dev.loomchat.server.door.lines;
