package dev.loomchat.server;

import java.net.InetSocketAddress;
import picocli.CommandLine;

/**
 * {@code --http HOST:PORT} ({@code [::1]:PORT} for IPv6; a bare {@code PORT} means
 * {@code 127.0.0.1:PORT}; port 0 = any free port). Anything else is refused with an example.
 */
final class HttpAddressConverter implements CommandLine.ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        String text = value.strip();
        String host;
        String port;
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            host = ChatConfig.DEFAULT_HOST;
            port = text;
        } else {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw bad(value);
            }
        }
        if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            throw bad(value);
        }
        return new InetSocketAddress(host, Integer.parseInt(port));
    }

    private static CommandLine.TypeConversionException bad(String value) {
        return new CommandLine.TypeConversionException(
                "--http must be HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080) or PORT, not '" + value + "'");
    }
}
