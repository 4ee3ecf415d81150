package dev.loomchat.server.door.irc;

import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.Session;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the IRC door knows of its registered users beyond the core's nick: the real name they gave
 * in {@code USER} and their {@code AWAY} message. Users of the other doors have neither (they are
 * never away). Door state, not chat state: the core has no use for it.
 *
 * <p>Threading: safe from any thread.
 */
final class IrcUsers {

    /** One registered IRC user. */
    static final class User {
        final String realname;
        /** The away message, or {@code null} while the user is here. */
        volatile String away;

        User(String realname) {
            this.realname = realname;
        }
    }

    private final ChatCore core;
    private final Map<Session, User> users = new ConcurrentHashMap<>();

    IrcUsers(ChatCore core) {
        this.core = core;
    }

    void add(Session session, User user) {
        users.put(session, user);
    }

    void remove(Session session) {
        users.remove(session);
    }

    /** The IRC user holding {@code nick} on this node, or {@code null} (offline, or another door's). */
    User byNick(String nick) {
        Session session = core.findNick(nick);
        return session == null ? null : users.get(session);
    }

    /** {@code nick}'s away message, or {@code null}. */
    String away(String nick) {
        User user = byNick(nick);
        return user == null ? null : user.away;
    }
}
