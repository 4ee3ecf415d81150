/** JSON-lines framing and the chat message types. */
package dev.loomchat.protocol;
