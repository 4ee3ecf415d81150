package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.MessageReader;
import dev.loomchat.protocol.ServerMessage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The chat over a Unix domain socket beside TCP, and on platform threads. */
@Timeout(60)
class ChatServerTransportTest {

    @Test
    @SuppressWarnings("try") // close() inside the block is what is tested
    void aUnixSocketServesTheSameChatAsTcpAndIsRemovedOnClose(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("chat.sock");
        try (ChatServer server = ChatServer.start(TestServers.config().unixPath(path).build());
             TestClient tcp = TestClient.welcomed(server, "tcp");
             SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertTrue(Files.exists(path));
            tcp.join("#both");
            unix.connect(UnixDomainSocketAddress.of(path));
            OutputStream out = Channels.newOutputStream(unix);
            InputStream in = Channels.newInputStream(unix);
            MessageReader<ServerMessage> reader = new MessageReader<>(in, Codec.SERVER_TO_CLIENT);
            out.write(Frame.of(new ClientMessage.Hello("unix")).toByteArray());
            out.write(Frame.of(new ClientMessage.Join("#both", "j")).toByteArray());
            out.write(Frame.of(new ClientMessage.Say("#both", "over AF_UNIX", "s")).toByteArray());

            assertEquals("unix", next(reader, ServerMessage.Welcome.class).nick());
            ServerMessage.ChatMessage fromUnix = tcp.await(ServerMessage.ChatMessage.class);
            assertEquals("unix", fromUnix.from());
            assertEquals("over AF_UNIX", fromUnix.text());
            tcp.say("#both", "back over TCP");
            ServerMessage.ChatMessage back;
            do {
                back = next(reader, ServerMessage.ChatMessage.class);
            } while (!back.from().equals("tcp"));
            assertEquals("back over TCP", back.text());
            assertEquals(2, server.connectionCount());

            server.close();

            assertFalse(Files.exists(path), "the socket file is removed on close");
        }
    }

    private static <T extends ServerMessage> T next(MessageReader<ServerMessage> reader, Class<T> type)
            throws Exception {
        while (true) {
            Decoded<ServerMessage> decoded = reader.read();
            if (decoded instanceof Decoded.Ok<ServerMessage>(ServerMessage message) && type.isInstance(message)) {
                return type.cast(message);
            }
            if (decoded instanceof Decoded.End) {
                throw new AssertionError("closed while waiting for " + type.getSimpleName());
            }
        }
    }

    @Test
    void onPlatformThreadsTheChatWorksTheSame() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().platformThreads(true).build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#r");
            bob.join("#r");

            ServerMessage.ChatMessage said = alice.say("#r", "on OS threads");

            assertEquals(said.withRef(null), bob.next(ServerMessage.ChatMessage.class));
        }
    }
}
