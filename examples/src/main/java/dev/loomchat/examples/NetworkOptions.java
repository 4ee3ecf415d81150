package dev.loomchat.examples;

import java.net.InetSocketAddress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --host}/{@code --port} options every network example accepts. */
final class NetworkOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec example;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE})")
    String host;

    int port;

    @Option(names = "--port", defaultValue = "9999", description = "port to bind, 0 = any free port (default: ${DEFAULT-VALUE})")
    void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new ParameterException(example.commandLine(), "--port must be 0 (any free port) to 65535, not " + port);
        }
        this.port = port;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }
}
