package dev.loomchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.Forking;
import dev.loomchat.socketserver.ForkingTCPServer;
import dev.loomchat.socketserver.ForkingUnixDatagramServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
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

/** {@code ./loomchat example fork-upper}: the upper-case seed, each request in a child process. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ForkUpperTest {

    @TempDir
    Path dir;

    private static String tcpExchange(InetSocketAddress address, String line) throws Exception {
        try (SocketChannel client = SocketChannel.open(address)) {
            Channels.newOutputStream(client).write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8))
                    .readLine();
        }
    }

    @Test
    void answersHelloWithHELLOFromAChildProcessPerRequest() throws Exception {
        ForkUpper example = new ForkUpper();
        new CommandLine(example).parseArgs("--port", "0", "--max-children", "2");
        BaseServer<?> server = example.newServer();
        ForkingTCPServer forking = assertInstanceOf(ForkingTCPServer.class, server);
        assertEquals(2, forking.forking().maxChildren());
        try (ExampleServing serving = new ExampleServing(server)) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            assertEquals("HELLO", tcpExchange(address, "hello"));
            assertEquals("AGAIN", tcpExchange(address, "again"));
            serving.stopLikeCtrlC();
        }
        assertEquals(0, forking.forking().activeChildCount(), "no child left after Ctrl-C");
    }

    @Test
    void withPoolAndPathAndUdpItIsAPreforkedAfUnixDatagramServer() throws Exception {
        Path path = dir.resolve("fork-dgram.sock");
        ForkUpper example = new ForkUpper();
        new CommandLine(example).parseArgs("--udp", "--path", path.toString(), "--pool", "2");
        BaseServer<?> server = example.newServer();
        Forking forking = assertInstanceOf(ForkingUnixDatagramServer.class, server).forking();
        assertEquals(true, forking.isPreforkedPool());
        assertEquals(UnixDomainSocketAddress.of(path), server.serverAddress());
        try (ExampleServing serving = new ExampleServing(server);
             AFUNIXDatagramChannel client = AFUNIXDatagramChannel.open()) {
            client.bind(AFUNIXSocketAddress.of(dir.resolve("client.sock")));
            client.send(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)), AFUNIXSocketAddress.of(path));
            ByteBuffer reply = ByteBuffer.allocate(1024);
            client.receive(reply);
            assertEquals("HELLO\n", new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8));
            serving.stopLikeCtrlC();
        }
        assertFalse(Files.exists(path));
        assertEquals(0, forking.activeChildCount());
    }
}
