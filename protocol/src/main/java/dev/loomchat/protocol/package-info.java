/**
 * The loomchat wire protocol: JSON-lines framing and the chat message types. PROTOCOL.md at the
 * repository root is the normative spec; this package implements it and depends on nothing but
 * Jackson 3 ({@code tools.jackson.core:jackson-databind}).
 *
 * <h2>Layers</h2>
 * <ol>
 *   <li><b>Framing</b> (no JSON): {@link dev.loomchat.protocol.LineReader} splits an
 *       {@code InputStream} into bounded lines ({@link dev.loomchat.protocol.Line});
 *       {@link dev.loomchat.protocol.FrameWriter} writes {@link dev.loomchat.protocol.Frame}s, the
 *       immutable encoded form of one message ({@code JSON + '\n'}).</li>
 *   <li><b>Codec</b>: {@link dev.loomchat.protocol.Codec#CLIENT_TO_SERVER} and
 *       {@link dev.loomchat.protocol.Codec#SERVER_TO_CLIENT} turn one line into a
 *       {@link dev.loomchat.protocol.Decoded} result and a message into a {@code Frame}. Inside:
 *       Jackson's streaming parser and generator on the hot path, its data binding for the rest
 *       and to explain bad lines; {@link dev.loomchat.protocol.ErrorText} makes client strings
 *       safe to quote in error messages.</li>
 *   <li><b>Messages</b>: {@link dev.loomchat.protocol.ClientMessage} (client to server) and
 *       {@link dev.loomchat.protocol.ServerMessage} (server to client), sealed interfaces with one
 *       record per wire {@code "type"}.</li>
 *   <li><b>Both together</b>: {@link dev.loomchat.protocol.MessageReader} = {@code LineReader} +
 *       {@code Codec}, what a connection handler reads from.</li>
 * </ol>
 *
 * <h2>Typical use</h2>
 * <pre>{@code
 * // server, one virtual thread per connection
 * var in = new MessageReader<>(rfile, Codec.CLIENT_TO_SERVER, limits.maxLineBytes());
 * while (true) {
 *     switch (in.read()) {
 *         case Decoded.Ok<ClientMessage>(ClientMessage m) -> handle(m);
 *         case Decoded.Bad<ClientMessage>(ProtocolError e) -> send(e.toMessage());
 *         case Decoded.End<ClientMessage>() -> { return; }
 *     }
 * }
 * // fan-out: encode once, enqueue the same immutable Frame for every member
 * Frame frame = Frame.of(chatMessage);
 * }</pre>
 *
 * <h2>Threading</h2>
 * Records, {@link dev.loomchat.protocol.Frame}, {@link dev.loomchat.protocol.Codec} and
 * {@link dev.loomchat.protocol.ContentRules} are immutable and thread-safe. Readers and writers
 * are not: each has one owner thread.
 */
package dev.loomchat.protocol;
