package dev.loomchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loomchat.socketserver.ThreadingTCPServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code ./loomchat example echo-chat}: every line reaches every connected client. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EchoChatTest {

    /** One chat client: a socket and a line reader over it. */
    record Client(Socket socket, BufferedReader in, String name) implements AutoCloseable {
        static Client connect(InetSocketAddress address) throws Exception {
            Socket socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout((int) ExampleServing.PATIENCE.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            return new Client(socket, in, "127.0.0.1:" + socket.getLocalPort());
        }

        void say(String line) throws Exception {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        String read() throws Exception {
            return in.readLine();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @Test
    void aLineFromOneClientReachesBoth() throws Exception {
        EchoChat example = new EchoChat();
        new CommandLine(example).parseArgs("--port", "0");
        ThreadingTCPServer server = example.newServer();
        try (ExampleServing serving = new ExampleServing(server)) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try (Client alice = Client.connect(address)) {
                assertEquals("* " + alice.name() + " joined", alice.read()); // alice is registered
                String bobName;
                try (Client bob = Client.connect(address)) {
                    bobName = bob.name();
                    assertEquals("* " + bob.name() + " joined", bob.read()); // bob is registered
                    assertEquals("* " + bob.name() + " joined", alice.read());

                    alice.say("hi bob");
                    assertEquals(alice.name() + ": hi bob", alice.read());
                    assertEquals(alice.name() + ": hi bob", bob.read());

                    bob.say("hi alice");
                    assertEquals(bob.name() + ": hi alice", bob.read());
                    assertEquals(bob.name() + ": hi alice", alice.read());
                }
                assertEquals("* " + bobName + " left", alice.read());
            }
            serving.stopLikeCtrlC();
        }
    }
}
