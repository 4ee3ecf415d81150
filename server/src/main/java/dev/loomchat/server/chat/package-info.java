/**
 * The chat core: sessions, nicks, rooms, requests, fan-out, message ids and history, as
 * PROTOCOL.md specifies them, whatever door a client came through.
 *
 * <p>A door {@linkplain dev.loomchat.server.chat.ChatCore#open opens} a
 * {@link dev.loomchat.server.chat.Session} for each connection, giving it a
 * {@link dev.loomchat.server.chat.Peer}: the connection's bounded
 * {@link dev.loomchat.server.chat.Outbox} in the door's
 * {@link dev.loomchat.server.chat.WireFormat}, and a way to close it. The core queues typed
 * events (the protocol's {@code ServerMessage} records, wrapped in an
 * {@link dev.loomchat.server.chat.Outgoing} that caches one encoding per format) and never
 * waits for a client.
 *
 * <p>Owns: the policies every door shares (connection limit, flood control, keepalive, the
 * outbound queue's bounds and the slow-consumer cut-off, the shutdown notice), the order of
 * each room (through the bus), and who may do what: accounts ({@code AccountRequests}, over the
 * {@link dev.loomchat.server.chat.Accounts} port), server operators and server bans
 * ({@code OperatorRequests}, {@code ServerBans}, over the {@link dev.loomchat.server.chat.BanStore}
 * port; checked when a connection is opened and at {@code hello}). May not touch: I/O of any kind ({@code java.io},
 * {@code java.nio.channels}, sockets), a wire format's encoding (JSON, {@code Frame}), the
 * doors, or a bus implementation; it reads {@code ChatConfig} and uses the
 * {@link dev.loomchat.server.bus.RoomBus} SPI only. {@code ChatCoreDoesNoIoTest} checks the
 * imports.
 */
package dev.loomchat.server.chat;
