/**
 * Doors onto the chat core: one sub-package per way in ({@code lines}: JSON lines over TCP or a
 * Unix socket). A door turns the bytes on its wire into requests for the
 * {@link dev.loomchat.server.chat.ChatCore} and the core's events into bytes on its wire; it
 * never reaches into rooms or sessions.
 */
package dev.loomchat.server.door;
