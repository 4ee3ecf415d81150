package dev.loomchat.server.chat;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.server.bus.BusUnavailableException;
import dev.loomchat.server.bus.RoomBus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who holds which nick: this node's sessions by folded nick, and the claim on the bus that keeps
 * a nick unique across nodes. Nicks compare case-insensitively ({@link ContentRules#fold}).
 *
 * <p>Threading: safe from any thread.
 */
final class NickRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(NickRegistry.class);

    /** What a claim came to. */
    enum Claim { CLAIMED, IN_USE }

    private final RoomBus bus;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    NickRegistry(RoomBus bus) {
        this.bus = bus;
    }

    /**
     * Claims {@code nick} for {@code session}, here and on the bus.
     *
     * @throws BusUnavailableException if the bus cannot be asked; nothing is claimed then
     */
    Claim claim(Session session, String nick) {
        String key = ContentRules.fold(nick);
        if (sessions.putIfAbsent(key, session) != null) {
            return Claim.IN_USE;
        }
        boolean claimed = false;
        try {
            claimed = bus.claimNick(key, nick);
            return claimed ? Claim.CLAIMED : Claim.IN_USE;
        } finally {
            if (!claimed) {
                sessions.remove(key, session);
            }
        }
    }

    /** Gives up {@code nick} if {@code session} holds it; returns whether it did. */
    boolean release(Session session, String nick) {
        String key = ContentRules.fold(nick);
        if (!sessions.remove(key, session)) {
            return false;
        }
        try {
            bus.releaseNick(key);
        } catch (BusUnavailableException e) {
            LOG.debug("release nick {}: {}", key, e.getMessage()); // it expires by itself
        }
        return true;
    }

    /** The local session holding the folded nick {@code key}, or {@code null}. */
    Session find(String key) {
        return sessions.get(key);
    }
}
