package dev.loomchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loomchat.socketserver.TCPServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code ./loomchat example tcp-upper}: Python's {@code MyTCPHandler}, over a real socket. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpUpperTest {

    static String ask(InetSocketAddress address, String line) throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout((int) ExampleServing.PATIENCE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void answersHelloWithHELLOForEveryClientUntilCtrlC() throws Exception {
        TcpUpper example = new TcpUpper();
        new CommandLine(example).parseArgs("--host", "127.0.0.1", "--port", "0");
        TCPServer server = example.newServer();
        try (ExampleServing serving = new ExampleServing(server)) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            assertEquals("HELLO", ask(address, "hello"));
            assertEquals("HELLO WORLD 2", ask(address, "Hello World 2"));
            serving.stopLikeCtrlC();
        }
    }

    @Test
    void listensOn127001Port9999ByDefault() {
        CommandLine command = new CommandLine(new TcpUpper());
        command.parseArgs();
        assertEquals("127.0.0.1", command.getCommandSpec().findOption("--host").getValue());
        assertEquals(9999, (Integer) command.getCommandSpec().findOption("--port").getValue());
    }

    @Test
    void everySeedExampleIsASubcommand() {
        assertEquals(java.util.Set.of("tcp-upper", "udp-upper", "unix-upper", "unix-dgram-upper", "threaded-tcp",
                        "fork-upper", "echo-chat"),
                new CommandLine(new Examples()).getSubcommands().keySet());
    }
}
