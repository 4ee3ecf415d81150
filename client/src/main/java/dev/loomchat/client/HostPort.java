package dev.loomchat.client;

import dev.loomchat.protocol.Protocol;

import java.util.Objects;

/**
 * A server address as the user wrote it: {@code host}, {@code host:port}, {@code [v6]:port} or a
 * bare IPv6 literal. Resolved only when connecting, so a name is looked up again on reconnect.
 */
record HostPort(String host, int port) implements ServerAddress {

    HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range (1-65535): " + port);
        }
    }

    /**
     * Parses {@code spec}; {@code defaultPort} applies when it names no port.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    static HostPort parse(String spec, int defaultPort) {
        String s = spec.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad host '" + spec + "': missing ]");
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new HostPort(host, defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("bad host '" + spec + "'");
            }
            return new HostPort(host, port(rest.substring(1), spec));
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && colon == s.lastIndexOf(':')) {
            return new HostPort(s.substring(0, colon), port(s.substring(colon + 1), spec));
        }
        return new HostPort(s, defaultPort); // a name, an IPv4 address, or a bare IPv6 literal
    }

    private static int port(String text, String spec) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + spec + "'");
        }
    }

    @Override
    public boolean isLocal() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
    }

    @Override
    public String serverOptions() {
        return port == Protocol.DEFAULT_PORT ? "" : " --port " + port;
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
