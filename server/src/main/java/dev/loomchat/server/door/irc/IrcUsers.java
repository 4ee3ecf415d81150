package dev.loomchat.server.door.irc;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.Session;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

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
        /** What the client gave in USER, as servers without ident show it ({@code ~name}). */
        final String username;
        final String realname;
        /** The user's connection, for the one door-only event: an INVITE. */
        final IrcPeer peer;
        /** The away message, or {@code null} while the user is here. */
        volatile String away;

        User(String username, String realname, IrcPeer peer) {
            this.username = username;
            this.realname = realname;
            this.peer = peer;
        }
    }

    /** A nick an IRC user held and gave up (quit or changed), for WHOWAS. */
    record Former(String nick, String username, String realname) {
    }

    /** How many former nicks WHOWAS remembers, all users together. */
    static final int WHOWAS_LENGTH = 1000;
    private final ArrayDeque<Former> formers = new ArrayDeque<>();
    private final ReentrantLock formersLock = new ReentrantLock();

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

    /** Remembers that {@code user} gave up {@code nick} (newest first; the oldest are forgotten). */
    void gaveUp(String nick, User user) {
        formersLock.lock();
        try {
            formers.addFirst(new Former(nick, user.username, user.realname));
            if (formers.size() > WHOWAS_LENGTH) {
                formers.removeLast();
            }
        } finally {
            formersLock.unlock();
        }
    }

    /** The users who held {@code nick}, newest first, at most {@code count} (0 or less: all remembered). */
    List<Former> whowas(String nick, int count) {
        String key = ContentRules.fold(nick);
        List<Former> found = new ArrayList<>();
        formersLock.lock();
        try {
            for (Former former : formers) {
                if (ContentRules.fold(former.nick()).equals(key)) {
                    found.add(former);
                    if (count > 0 && found.size() == count) {
                        break;
                    }
                }
            }
        } finally {
            formersLock.unlock();
        }
        return found;
    }

    /** {@code nick}'s away message, or {@code null}. */
    String away(String nick) {
        User user = byNick(nick);
        return user == null ? null : user.away;
    }
}
