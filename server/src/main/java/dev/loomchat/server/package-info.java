/**
 * The chat server application: its configuration ({@link dev.loomchat.server.ChatConfig}), the
 * command line ({@link dev.loomchat.server.ChatServerMain}, {@code ./loomchat server}), the
 * wiring of bus, core and doors with the timers, and the graceful shutdown
 * ({@link dev.loomchat.server.ChatServer}), and the Docker health check.
 *
 * <p>Owns: what runs and in which order. May not touch: the chat logic (it lives in
 * {@code chat}), a wire format (in the doors), Redis (in {@code bus.redis}).
 */
package dev.loomchat.server;
