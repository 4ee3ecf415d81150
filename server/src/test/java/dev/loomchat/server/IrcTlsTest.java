package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.tls.TestCertificates;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The IRC door over TLS (issue 21): an IRC client on the TLS port chats with a JSON client; plain text there is told so. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IrcTlsTest {

    @TempDir
    Path dir;

    private ChatServer start(TestCertificates.Pair pair) throws Exception {
        return ChatServer.start(IrcServers.config()
                .irc(IrcServers.door().withTls(new InetSocketAddress("127.0.0.1", 0)))
                .tls(TlsConfig.fromFiles(pair.certificate(), pair.key()).withPort(0)).build());
    }

    @Test
    void anIrcClientOverTlsChatsWithAJsonClient() throws Exception {
        TestCertificates.Pair pair = TestCertificates.write(dir, "irc");
        try (ChatServer server = start(pair)) {
            InetSocketAddress address = server.ircTlsAddress().orElseThrow();
            SSLSocket socket = (SSLSocket) pair.trustingIt().getSocketFactory()
                    .createSocket(address.getAddress(), address.getPort());
            socket.startHandshake();
            assertTrue(socket.getSession().getProtocol().startsWith("TLSv1."));
            try (IrcTestClient iris = IrcTestClient.over(socket);
                 TestClient json = TestClient.welcomed(server, "json")) {
                iris.register("iris");
                iris.send("JOIN #secure");
                iris.expect("JOIN");
                json.join("#secure");
                iris.send("PRIVMSG #secure :over tls");
                assertEquals("over tls", json.await(ServerMessage.ChatMessage.class).text());
            }
        }
    }

    @Test
    void plainTextOnTheIrcTlsPortGetsAnErrorLine() throws Exception {
        TestCertificates.Pair pair = TestCertificates.write(dir, "irc");
        try (ChatServer server = start(pair);
             IrcTestClient plain = IrcTestClient.over(new Socket(server.ircTlsAddress().orElseThrow().getAddress(),
                     server.ircTlsAddress().orElseThrow().getPort()))) {
            plain.send("NICK plain");
            IrcTestClient.Line error = plain.expect("ERROR");
            assertTrue(error.toString().contains("this port speaks TLS"), error.toString());
        }
    }
}
