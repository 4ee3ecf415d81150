/**
 * The room bus: the service provider interface ({@link dev.loomchat.server.bus.RoomBus}) through
 * which the chat core orders room events, claims nicks and sends private messages across nodes,
 * the typed room events it carries ({@link dev.loomchat.server.bus.RoomEvent}), and the
 * in-memory bus of a single server ({@link dev.loomchat.server.bus.LocalRoomBus}).
 *
 * <p>Owns: the bus contract (order, delivery, failure as
 * {@link dev.loomchat.server.bus.BusUnavailableException}). May not touch: sessions, rooms,
 * doors or the wire; a bus knows rooms only by key and events only as values. Implementations
 * that reach a store live in sub-packages ({@code redis}).
 */
package dev.loomchat.server.bus;
