package dev.loomchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loomchat.socketserver.UDPServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code ./loomchat example udp-upper}: Python's {@code MyUDPHandler}, over a real socket. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UdpUpperTest {

    @Test
    void answersEveryDatagramInUpperCase() throws Exception {
        UdpUpper example = new UdpUpper();
        new CommandLine(example).parseArgs("--port", "0");
        UDPServer server = example.newServer();
        try (ExampleServing serving = new ExampleServing(server)) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(address.getAddress(), 0))) {
                client.setSoTimeout((int) ExampleServing.PATIENCE.toMillis());
                for (String word : new String[] {"hello", "second datagram"}) {
                    byte[] data = (word + "\n").getBytes(StandardCharsets.UTF_8);
                    client.send(new DatagramPacket(data, data.length, address));
                    byte[] buffer = new byte[1024];
                    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                    client.receive(reply);
                    assertEquals(word.toUpperCase(java.util.Locale.ROOT) + "\n",
                            new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8));
                }
            }
            serving.stopLikeCtrlC();
        }
    }
}
