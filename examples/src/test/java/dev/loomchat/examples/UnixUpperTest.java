package dev.loomchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.socketserver.UnixStreamServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./loomchat example unix-upper --path P}: the upper-case echo over an AF_UNIX socket. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnixUpperTest {

    @TempDir
    Path dir;

    @Test
    void answersHelloWithHELLOOverAUnixSocketAndRemovesTheSocketFile() throws Exception {
        Path path = dir.resolve("upper.sock");
        UnixUpper example = new UnixUpper();
        new CommandLine(example).parseArgs("--path", path.toString());
        UnixStreamServer server = example.newServer();
        try (ExampleServing serving = new ExampleServing(server)) {
            assertTrue(Files.exists(path));
            for (int i = 0; i < 2; i++) {
                try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                    Channels.newOutputStream(client).write("hello\n".getBytes(StandardCharsets.UTF_8));
                    String answer = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                            StandardCharsets.UTF_8)).readLine();
                    assertEquals("HELLO", answer);
                }
            }
            serving.stopLikeCtrlC();
        }
        assertFalse(Files.exists(path), "the socket file is removed on close");
    }

    @Test
    void pathIsRequired() {
        CommandLine command = new CommandLine(new UnixUpper());
        org.junit.jupiter.api.Assertions.assertThrows(CommandLine.MissingParameterException.class, command::parseArgs);
    }
}
