/**
 * The web door: the chat in a browser. One HTTP listener ({@code --http HOST:PORT}, Helidon
 * WebServer on virtual threads) serves the chat page from the jar ({@code /}), the WebSocket
 * endpoint ({@code /ws}: one PROTOCOL.md JSON object per text message, through the same
 * {@link dev.loomchat.server.chat.ChatCore} as the JSON-lines door), the health check
 * ({@code /healthz}) and the Prometheus metrics ({@code /metrics}).
 *
 * <p>{@link dev.loomchat.server.door.web.WebDoor} is the listener; {@code ChatSocket} is one
 * WebSocket connection's reader, {@code WebPeer} its end as the core sees it (the bounded outbox
 * and the writer thread that drains it to the socket), {@code ChatMetrics} the meters.
 */
package dev.loomchat.server.door.web;
