package dev.loomchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.socketserver.UnixDatagramServer;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import picocli.CommandLine;

/** {@code ./loomchat example unix-dgram-upper --path P}: udp-upper over an AF_UNIX datagram socket. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnixDgramUpperTest {

    @TempDir
    Path dir;

    private static String exchange(AFUNIXDatagramChannel client, Path server, String text) throws Exception {
        client.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), AFUNIXSocketAddress.of(server));
        ByteBuffer reply = ByteBuffer.allocate(1024);
        client.receive(reply);
        return new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
    }

    @Test
    void answersABoundClientInUpperCaseAndRemovesTheSocketFile() throws Exception {
        Path path = dir.resolve("dgram.sock");
        UnixDgramUpper example = new UnixDgramUpper();
        new CommandLine(example).parseArgs("--path", path.toString());
        UnixDatagramServer server = example.newServer();
        try (ExampleServing serving = new ExampleServing(server);
             AFUNIXDatagramChannel client = AFUNIXDatagramChannel.open()) {
            client.bind(AFUNIXSocketAddress.of(dir.resolve("client.sock")));
            assertEquals("HELLO\n", exchange(client, path, "hello\n"));
            assertEquals("SECOND DATAGRAM\n", exchange(client, path, "second datagram\n"));
            serving.stopLikeCtrlC();
        }
        assertFalse(Files.exists(path), "the socket file is removed on close");
    }

    @Test
    void aStaleSocketFileIsRefusedUnlessRemoveStaleIsGiven() throws Exception {
        Path path = dir.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(path)); // closing leaves the file, as a crash does
        }
        UnixDgramUpper refused = new UnixDgramUpper();
        new CommandLine(refused).parseArgs("--path", path.toString());
        BindException e = assertThrows(BindException.class, refused::newServer);
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());

        UnixDgramUpper replacing = new UnixDgramUpper();
        new CommandLine(replacing).parseArgs("--path", path.toString(), "--remove-stale");
        try (UnixDatagramServer server = replacing.newServer()) {
            assertTrue(server.fileno().isOpen());
        }
    }
}
