/**
 * The IRC door (README "IRC clients"): IRC clients (irssi, WeeChat, HexChat, …) in the same rooms
 * as everyone else. One {@link dev.loomchat.socketserver.StreamRequestHandler} per connection on
 * the door's TCP listener ({@link dev.loomchat.server.door.irc.IrcDoor}), reading bounded IRC lines
 * ({@code IrcLineReader}) through the shared fair input, registering the client and turning its
 * commands into the core's requests ({@code IrcHandler}); the core's events become IRC lines in
 * one wire format for the whole door ({@code IrcWireFormat}), so a room's fan-out is encoded once
 * for all IRC members, tagged and untagged ({@code IrcFrame}). Accounts ({@code IrcAccounts}:
 * SASL, {@code REGISTER}) and server operators ({@code IrcOperators}: {@code OPER}, {@code KILL},
 * {@code UBAN}) map onto the core's requests of the same names.
 *
 * <p>Owns: the socket, the IRC line syntax, registration and capability negotiation, the
 * numerics, IRC-only user state ({@code AWAY}, real names). May not touch: rooms, nicks or
 * sessions' state (it calls the {@link dev.loomchat.server.chat.ChatCore}), the bus.
 */
package dev.loomchat.server.door.irc;
