package dev.loomchat.examples;

import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** The {@code --host}/{@code --port} options every network example accepts. */
final class NetworkOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "9999", description = "port to bind, 0 = any free port (default: ${DEFAULT-VALUE})")
    int port;

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }
}
