package dev.loomchat.server.door.irc;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The IRC door's settings ({@code --irc HOST:PORT}, {@code --motd FILE}).
 *
 * @param address             where the door listens (port 0: any free port)
 * @param motd                the message of the day, one entry per line, or {@code null}: none
 *                            ({@code 422 ERR_NOMOTD})
 * @param registrationTimeout how long a connection may take to register (NICK, USER, CAP END)
 * @param tlsAddress          where the door listens over TLS too (by convention port 6697), or {@code null}
 *                            before it is closed
 */
public record IrcConfig(InetSocketAddress address, List<String> motd, Duration registrationTimeout,
                        InetSocketAddress tlsAddress) {

    /** IRC servers give a client about half a minute to register; so does this door. */
    public static final Duration DEFAULT_REGISTRATION_TIMEOUT = Duration.ofSeconds(30);

    public IrcConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(registrationTimeout, "registrationTimeout");
        if (registrationTimeout.isNegative() || registrationTimeout.isZero()) {
            throw new IllegalArgumentException("registrationTimeout must be positive: " + registrationTimeout);
        }
        motd = motd == null ? null : List.copyOf(motd);
    }

    /** The door on {@code address}, without a message of the day, with the default registration timeout. */
    public static IrcConfig on(InetSocketAddress address) {
        return new IrcConfig(address, null, DEFAULT_REGISTRATION_TIMEOUT, null);
    }

    /**
     * Parses {@code HOST:PORT} ({@code [v6]:PORT} for an IPv6 address).
     *
     * @throws IllegalArgumentException with a message that says what is wrong
     */
    /** The same, with a TLS listener on {@code tlsAddress} too (the server needs a certificate). */
    public IrcConfig withTls(InetSocketAddress tlsAddress) {
        return new IrcConfig(address, motd, registrationTimeout, tlsAddress);
    }

    public static InetSocketAddress parseAddress(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, e.g. 127.0.0.1:6667: " + value);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port must be a number: " + value);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be in [0, 65535]: " + value);
        }
        return new InetSocketAddress(host, port);
    }
}
