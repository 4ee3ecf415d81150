package dev.loomchat.server.chat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where server bans are kept, as the core sees it: the store's {@code bans} table, or memory
 * ({@link #memory()}: {@code --data none}, tests), or Redis in cluster mode ({@link #shared()}). Every write is durable when it
 * returns. The core reads them all at start (a shared store: again on
 * every keepalive tick) and writes each change through.
 *
 * <p>Threading: every method is safe from any thread.
 */
public interface BanStore {

    /** Every ban kept (expired ones too, until they are removed). */
    List<ServerBan> all();

    /**
     * Keeps {@code ban}, replacing one of the same kind and mask.
     *
     * @throws RuntimeException (the store's unavailability) if it cannot be written
     */
    void put(ServerBan ban);

    /** Forgets the ban of {@code kind} on {@code mask}, if there is one. */
    void remove(ServerBan.Kind kind, String mask);

    /**
     * Whether other servers write here too (cluster mode's Redis): then the core reads the bans
     * again on every keepalive tick, to apply and lift the bans set on the other nodes.
     */
    default boolean shared() {
        return false;
    }

    /** Bans in memory only: gone when the server stops. */
    static BanStore memory() {
        Map<String, ServerBan> bans = new ConcurrentHashMap<>();
        return new BanStore() {
            @Override
            public List<ServerBan> all() {
                return List.copyOf(bans.values());
            }

            @Override
            public void put(ServerBan ban) {
                bans.put(ban.kind() + " " + ban.mask(), ban);
            }

            @Override
            public void remove(ServerBan.Kind kind, String mask) {
                bans.remove(kind + " " + mask);
            }
        };
    }
}
