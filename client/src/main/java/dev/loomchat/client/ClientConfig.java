package dev.loomchat.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link ChatClient} needs to know, from the command line.
 *
 * @param servers        where to connect, tried in order (also on every reconnect attempt)
 * @param nick           the wanted nick
 * @param rooms          rooms to join at start, in order (the last becomes current)
 * @param password       the server password, or null
 * @param reconnect      whether to reconnect when the connection drops
 * @param backoff        the reconnect schedule
 * @param keepNickFor    how long after a drop reconnecting insists on the session's nick while it is
 *                       still taken, before settling for {@code nick_}
 * @param keepalive      when to ping a silent server, and how long it may take to answer
 * @param connectTimeout how long one TCP connect may take
 * @param replyTimeout   how long to wait for the reply to one request before giving up on it
 * @param tls            TLS for TCP servers, or null for plain TCP
 * @param accountPassword the password of the account that owns the nick (hello logs in to it), or null: a guest
 */
record ClientConfig(List<ServerAddress> servers, String nick, List<String> rooms, String password, boolean reconnect,
                    Backoff backoff, Duration keepNickFor, Keepalive keepalive, Duration connectTimeout,
                    Duration replyTimeout, ClientTls tls, String accountPassword) {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Long enough for a cluster node's nick lease (10 s by default) to expire and for a server to
     * notice that the old connection closed; short enough not to keep the user waiting.
     */
    static final Duration DEFAULT_KEEP_NICK_FOR = Duration.ofSeconds(30);

    /** A guest's configuration (no account). */
    ClientConfig(List<ServerAddress> servers, String nick, List<String> rooms, String password, boolean reconnect,
                 Backoff backoff, Duration keepNickFor, Keepalive keepalive, Duration connectTimeout,
                 Duration replyTimeout, ClientTls tls) {
        this(servers, nick, rooms, password, reconnect, backoff, keepNickFor, keepalive, connectTimeout, replyTimeout,
                tls, null);
    }

    ClientConfig {
        servers = List.copyOf(servers);
        rooms = List.copyOf(rooms);
        Objects.requireNonNull(nick, "nick");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(keepNickFor, "keepNickFor");
        Objects.requireNonNull(keepalive, "keepalive");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server address");
        }
    }
}
