/**
 * The cluster bus: {@link dev.loomchat.server.bus.redis.RedisRoomBus} shares rooms, nicks and
 * history between nodes through one Redis (Streams for each room's log, keys with expiry for
 * nicks and node heartbeats), with its Lua scripts ({@code *.lua} beside this package's
 * classes) making each multi-key step atomic. The cluster's accounts
 * ({@code RedisAccountRecords}, the store's {@code AccountRecords}) and server bans
 * ({@code RedisBanStore}, the core's {@code BanStore} SPI) live in the same Redis, on the bus's
 * connection.
 *
 * <p>Owns: everything Redis (the key layout, the scripts, the reader and heartbeat threads,
 * outage handling). May not touch: the chat core's rooms or sessions (it hands events to the
 * bus's {@link dev.loomchat.server.bus.RoomBus.Listener}), doors, the wire.
 */
package dev.loomchat.server.bus.redis;
