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
 * @param connectTimeout how long one TCP connect may take
 * @param replyTimeout   how long to wait for the reply to one request before giving up on it
 */
record ClientConfig(List<HostPort> servers, String nick, List<String> rooms, String password, boolean reconnect,
                    Backoff backoff, Duration connectTimeout, Duration replyTimeout) {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(30);

    ClientConfig {
        servers = List.copyOf(servers);
        rooms = List.copyOf(rooms);
        Objects.requireNonNull(nick, "nick");
        Objects.requireNonNull(backoff, "backoff");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server address");
        }
    }

    /** This config with another reconnect schedule (tests use a fast one). */
    ClientConfig withBackoff(Backoff newBackoff) {
        return new ClientConfig(servers, nick, rooms, password, reconnect, newBackoff, connectTimeout, replyTimeout);
    }
}
