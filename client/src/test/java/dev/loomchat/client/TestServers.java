package dev.loomchat.client;

import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.ChatServer;

import java.io.IOException;
import java.net.ServerSocket;

/** Real chat servers for integration tests, on 127.0.0.1. */
final class TestServers {

    private TestServers() {
    }

    /** A server on {@code port} (0: any free one), without rate limits. */
    static ChatServer start(int port) throws IOException {
        return ChatServer.start(ChatConfig.builder().host("127.0.0.1").port(port).msgRate(0).exemptLoopback(true).build());
    }

    static int port(ChatServer server) {
        return server.address().getPort();
    }

    /** A port nothing listens on (it was free a moment ago). */
    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
