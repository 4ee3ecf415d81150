package dev.loomchat.examples;

import dev.loomchat.socketserver.UnixStreamServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tcp-upper} over an AF_UNIX stream socket ({@link UnixStreamServer}). */
@Command(name = "unix-upper",
        description = "UnixStreamServer: answers one line per connection in upper case.")
final class UnixUpper implements Callable<Integer> {

    @Mixin
    private HelpOption help = new HelpOption();

    @Spec
    private CommandSpec spec;

    @Option(names = "--path", required = true, description = "the socket file to create")
    private Path path;

    @Override
    public Integer call() throws Exception {
        return Serving.serveUntilStopped(CannotStart.orExplain(spec, this::newServer));
    }

    /** The bound server for the parsed options. */
    UnixStreamServer newServer() throws IOException {
        return new UnixStreamServer(path, TcpUpper.MyTCPHandler::new);
    }
}
