package dev.loomchat.server.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's bans (README "Operators and bans"): read from the {@link BanStore} once, at
 * start, and kept in memory, so that the check on every accepted connection and every login is
 * a map look-up (accounts) or a short scan (address bans are few). Every change is written
 * through to the store before it is answered. An expired ban stops applying by itself: each
 * check compares it with the clock, and the first check that finds it expired forgets it.
 *
 * <p>Threading: safe from any thread.
 */
final class ServerBans {

    private static final Logger LOG = LoggerFactory.getLogger(ServerBans.class);

    private final BanStore store;
    private final LongSupplier clock;
    private final Map<String, ServerBan> accounts = new ConcurrentHashMap<>();
    private final Map<IpMask, ServerBan> addresses = new ConcurrentHashMap<>();

    /** @param clock the time bans expire by, epoch ms (injectable for tests) */
    ServerBans(BanStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
        for (ServerBan ban : store.all()) {
            keep(ban);
        }
    }

    /**
     * For a {@linkplain BanStore#shared shared} store: reads the bans again, forgets those lifted
     * elsewhere and returns those set elsewhere since the last read (to be enforced here). A
     * store that cannot be read changes nothing (logged; the next tick tries again).
     */
    List<ServerBan> refresh() {
        if (!store.shared()) {
            return List.of();
        }
        List<ServerBan> stored;
        try {
            stored = store.all();
        } catch (RuntimeException e) {
            LOG.debug("bans not re-read: {}", e.getMessage());
            return List.of();
        }
        java.util.Set<ServerBan> now = new java.util.HashSet<>(stored);
        accounts.values().removeIf(ban -> !now.contains(ban));
        addresses.values().removeIf(ban -> !now.contains(ban));
        List<ServerBan> added = new ArrayList<>();
        for (ServerBan ban : stored) {
            if (!ban.expired(clock.getAsLong()) && keep(ban)) {
                added.add(ban);
            }
        }
        return added;
    }

    /** Keeps {@code ban} in memory; returns whether it is new here. */
    private boolean keep(ServerBan ban) {
        if (ban.kind() == ServerBan.Kind.ACCOUNT) {
            return !ban.equals(accounts.put(ban.mask(), ban));
        }
        IpMask mask = IpMask.parse(ban.mask());
        return mask != null && !ban.equals(addresses.put(mask, ban));
    }

    /** Now, by the bans' clock. */
    long now() {
        return clock.getAsLong();
    }

    /** The ban in force on the folded {@code account}, or {@code null}. */
    ServerBan onAccount(String account) {
        if (account == null) {
            return null;
        }
        ServerBan ban = accounts.get(account);
        return ban == null || expired(ban) ? null : ban;
    }

    /** The ban in force on the host {@code host} (a door's address text), or {@code null}. */
    ServerBan onAddress(String host) {
        if (host == null || addresses.isEmpty()) {
            return null;
        }
        for (Map.Entry<IpMask, ServerBan> entry : addresses.entrySet()) {
            if (entry.getKey().matches(host) && !expired(entry.getValue())) {
                return entry.getValue();
            }
        }
        return null;
    }

    /**
     * Keeps {@code ban}, replacing one on the same account or network; written to the store first.
     *
     * @throws RuntimeException if the store cannot be written (nothing changed then)
     */
    void add(ServerBan ban, IpMask mask) {
        store.put(ban);
        if (ban.kind() == ServerBan.Kind.ACCOUNT) {
            accounts.put(ban.mask(), ban);
        } else {
            addresses.put(mask, ban);
        }
        LOG.info("ban {} {} by {}{}{}", ban.kind().name().toLowerCase(java.util.Locale.ROOT), ban.mask(), ban.by(),
                ban.expiresMillis() == 0 ? "" : " until " + java.time.Instant.ofEpochMilli(ban.expiresMillis()),
                ban.reason().isEmpty() ? "" : ": " + ban.reason());
    }

    /**
     * Lifts the ban on the folded account {@code account}, or on the network {@code mask}
     * (exactly one is non-null).
     *
     * @return the ban lifted, or {@code null} if there was none in force
     */
    ServerBan remove(String account, IpMask mask) {
        ServerBan ban = account != null ? accounts.get(account) : addresses.get(mask);
        if (ban == null || expired(ban)) {
            return null;
        }
        store.remove(ban.kind(), ban.mask());
        if (account != null) {
            accounts.remove(account, ban);
        } else {
            addresses.remove(mask, ban);
        }
        LOG.info("ban {} {} lifted", ban.kind().name().toLowerCase(java.util.Locale.ROOT), ban.mask());
        return ban;
    }

    /** Every ban in force, oldest first. */
    List<ServerBan> list() {
        List<ServerBan> all = new ArrayList<>();
        for (ServerBan ban : accounts.values()) {
            if (!expired(ban)) {
                all.add(ban);
            }
        }
        for (ServerBan ban : addresses.values()) {
            if (!expired(ban)) {
                all.add(ban);
            }
        }
        all.sort(Comparator.comparingLong(ServerBan::setMillis).thenComparing(ServerBan::kind)
                .thenComparing(ServerBan::mask));
        return all;
    }

    /** Whether {@code ban} has run out; if so it is forgotten (here and in the store). */
    private boolean expired(ServerBan ban) {
        if (!ban.expired(clock.getAsLong())) {
            return false;
        }
        boolean removed = ban.kind() == ServerBan.Kind.ACCOUNT ? accounts.remove(ban.mask(), ban)
                : addresses.values().remove(ban);
        if (removed) {
            try {
                store.remove(ban.kind(), ban.mask());
            } catch (RuntimeException e) {
                LOG.warn("expired ban {} not removed from the store (it is ignored anyway): {}", ban.mask(),
                        e.getMessage());
            }
            LOG.info("ban {} {} expired", ban.kind().name().toLowerCase(java.util.Locale.ROOT), ban.mask());
        }
        return true;
    }
}
