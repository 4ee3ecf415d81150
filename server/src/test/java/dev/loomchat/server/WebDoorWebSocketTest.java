package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The web door's WebSocket, from the JDK's WebSocket client: the same chat as the TCP door (the
 * same core: sessions, rooms, errors, limits, flood control, keepalive, slow consumers), plus
 * what is WebSocket's own (binary and over-long messages, fragments, ping frames, close codes,
 * the Origin check). PROTOCOL.md "WebSocket".
 */
class WebDoorWebSocketTest {

    static ChatConfig.Builder config() {
        return TestServers.config().http(new InetSocketAddress("127.0.0.1", 0));
    }

    @Test
    void aBrowserAndATcpClientChatInOneRoomBothWays() throws Exception {
        try (ChatServer server = ChatServer.start(config().build());
             WsTestClient web = WsTestClient.welcomed(server, "webby");
             TestClient tcp = TestClient.welcomed(server, "tcpy")) {
            web.join("#chat");
            tcp.join("#chat");
            assertEquals("tcpy", web.next(ServerMessage.Joined.class).nick());

            ChatMessage fromWeb = web.say("#chat", "hello from a browser");
            assertEquals(fromWeb.withRef(null), tcp.await(ChatMessage.class));
            ChatMessage fromTcp = tcp.say("#chat", "hello from a terminal");
            assertEquals(fromTcp.withRef(null), web.next(ChatMessage.class));
            assertTrue(fromTcp.id() > fromWeb.id());

            tcp.send(new ClientMessage.Msg("webby", "psst", "p"));
            ChatMessage privately = web.next(ChatMessage.class);
            assertEquals("psst", privately.text());
            assertEquals("webby", privately.to());
            assertNull(privately.ref());

            web.send(new ClientMessage.Who("#chat", "who"));
            ServerMessage.Who who = web.next(ServerMessage.Who.class);
            assertEquals(List.of("tcpy", "webby"), who.nicks().stream().sorted().toList());
            assertEquals(2, server.stats().get("connections"));
        }
    }

    @Test
    void badJsonAndBadRequestsGetTheProtocolsTypedErrorsAndTheConnectionStays() throws Exception {
        try (ChatServer server = ChatServer.start(config().build());
             WsTestClient web = WsTestClient.connect(server)) {
            web.sendText("{\"type\":\"say\",\"room\":\"#chat\",\"te");
            assertNull(web.nextError(ErrorCode.BAD_JSON).ref());
            web.sendText("[1,2]");
            web.nextError(ErrorCode.NOT_OBJECT);
            web.sendText("{\"type\":\"dance\",\"ref\":\"d\"}");
            assertEquals("d", web.nextError(ErrorCode.UNKNOWN_TYPE).ref());
            web.sendText("{\"type\":\"join\",\"ref\":\"j\"}");
            assertEquals("j", web.nextError(ErrorCode.BAD_REQUEST).ref());
            web.sendText("{\"type\":\"join\",\"room\":\"#chat\",\"ref\":\"early\"}");
            assertEquals("early", web.nextError(ErrorCode.NOT_WELCOMED).ref());
            web.sendText("{\"type\":\"ping\"} {\"type\":\"ping\"}");
            web.nextError(ErrorCode.BAD_JSON);
            web.sendText(" \t\r\n "); // blank: ignored, as a blank line is
            web.sendText("{\n  \"type\": \"ping\",\n  \"ref\": \"pretty\"\n}\n"); // line feeds are JSON whitespace
            assertEquals("pretty", web.next(ServerMessage.Pong.class).ref());
            web.hello("late");
        }
    }

    @Test
    void aFragmentedMessageIsOneFrame() throws Exception {
        try (ChatServer server = ChatServer.start(config().build());
             WsTestClient web = WsTestClient.welcomed(server, "frag")) {
            web.ws().sendText("{\"type\":\"ping\",", false).join();
            web.ws().sendText("\"ref\":\"in two\"}", true).join();
            assertEquals("in two", web.next(ServerMessage.Pong.class).ref());
        }
    }

    @Test
    void aBinaryMessageClosesTheConnectionWith1003AndTheRoomSeesADisconnect() throws Exception {
        try (ChatServer server = ChatServer.start(config().build());
             WsTestClient web = WsTestClient.welcomed(server, "binary");
             TestClient tcp = TestClient.welcomed(server, "watcher")) {
            web.join("#chat");
            tcp.join("#chat");
            web.ws().sendBinary(ByteBuffer.wrap("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)), true).join();

            assertEquals(1003, web.awaitClose().code());
            ServerMessage.Parted parted = tcp.await(ServerMessage.Parted.class);
            assertEquals("binary", parted.nick());
            assertEquals(ServerMessage.Parted.REASON_DISCONNECT, parted.reason());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 1);
        }
    }

    @Test
    void aMessageLongerThanTheLimitClosesWith1009WholeOrInFragmentsAndOneAtTheLimitIsServed() throws Exception {
        int limit = 40_000; // above 32 KiB: a 16-bit frame length with its top bit set
        try (ChatServer server = ChatServer.start(config().maxLineBytes(limit).build())) {
            try (WsTestClient web = WsTestClient.welcomed(server, "big")) {
                String atTheLimit = pingPaddedTo(limit, "fits");
                web.sendText(atTheLimit);
                assertEquals("fits", web.next(ServerMessage.Pong.class).ref());
                web.sendText(pingPaddedTo(limit + 1, "too long"));
                WsTestClient.Closed closed = web.awaitClose();
                assertEquals(1009, closed.code());
            }
            try (WsTestClient web = WsTestClient.welcomed(server, "fragments")) {
                String half = pingPaddedTo(limit / 2 + 10, "x");
                web.ws().sendText(half.substring(0, half.length() - 1), false).join();
                // The second fragment takes the message over the limit: the server closes at once, so
                // nothing more is sent (a third send would race the close).
                web.ws().sendText(" ".repeat(limit / 2), false).join();
                assertEquals(1009, web.awaitClose().code());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 0);
        }
    }

    /** A ping with {@code ref}, padded with an ignored field to exactly {@code bytes} bytes. */
    static String pingPaddedTo(int bytes, String ref) {
        String start = "{\"type\":\"ping\",\"ref\":\"" + ref + "\",\"pad\":\"";
        String end = "\"}";
        return start + "p".repeat(bytes - start.length() - end.length()) + end;
    }

    @Test
    void aWebSocketPingGetsItsPongAndCountsAsInput() throws Exception {
        try (ChatServer server = ChatServer.start(config().build());
             WsTestClient web = WsTestClient.welcomed(server, "pinger")) {
            web.ws().sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).join();
            WsTestClient.Pong pong = assertInstanceOf(WsTestClient.Pong.class, web.nextEvent());
            assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), pong.data());
            web.send(new ClientMessage.Ping("after"));
            assertEquals("after", web.next(ServerMessage.Pong.class).ref());
        }
    }

    @Test
    void quitIsAnsweredByeThenANormalClose() throws Exception {
        try (ChatServer server = ChatServer.start(config().build());
             WsTestClient web = WsTestClient.welcomed(server, "leaver");
             TestClient tcp = TestClient.welcomed(server, "stayer")) {
            web.join("#chat");
            tcp.join("#chat");
            web.send(new ClientMessage.Quit("q"));
            web.send(new ClientMessage.Ping("after quit: never answered"));
            web.next(ServerMessage.Joined.class);
            assertEquals("q", web.next(ServerMessage.Bye.class).ref());
            assertEquals(new WsTestClient.Closed(1000, "quit"), web.nextEvent());
            assertEquals(ServerMessage.Parted.REASON_QUIT, tcp.await(ServerMessage.Parted.class).reason());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 1);
            try (WsTestClient again = WsTestClient.welcomed(server, "leaver")) {
                assertEquals("leaver", again.nick());
            }
        }
    }

    @Test
    void aConnectionThatDropsWithoutACloseEndsItsSessionAndFreesItsNick() throws Exception {
        try (ChatServer server = ChatServer.start(config().build());
             TestClient tcp = TestClient.welcomed(server, "stayer")) {
            tcp.join("#chat");
            WsTestClient web = WsTestClient.welcomed(server, "dropper");
            web.join("#chat");
            web.ws().abort(); // the TCP connection closes, no close frame
            ServerMessage.Parted parted = tcp.await(ServerMessage.Parted.class);
            assertEquals("dropper", parted.nick());
            assertEquals(ServerMessage.Parted.REASON_DISCONNECT, parted.reason());
            try (WsTestClient again = WsTestClient.welcomed(server, "dropper")) {
                assertEquals("dropper", again.nick());
            }
        }
    }

    @Test
    void aShutdownSendsTheNoticeThenGoingAway() throws Exception {
        ChatServer server = ChatServer.start(config().build());
        try (WsTestClient web = WsTestClient.welcomed(server, "stayer")) {
            Thread closer = Thread.ofPlatform().start(server::close);
            web.next(ServerMessage.Shutdown.class);
            assertEquals(1001, web.awaitClose().code());
            closer.join(Duration.ofSeconds(20));
            assertTrue(!closer.isAlive(), "the server stopped");
        } finally {
            server.close();
        }
    }

    @Test
    void aSilentClientIsPingedThenClosedWithIdleTimeoutAnd1008() throws Exception {
        try (ChatServer server = ChatServer.start(config().idleTimeout(Duration.ofMillis(300))
                .pingTimeout(Duration.ofMillis(300)).build());
             WsTestClient web = WsTestClient.welcomed(server, "silent")) {
            web.next(ServerMessage.Ping.class);
            web.nextError(ErrorCode.IDLE_TIMEOUT);
            assertEquals(new WsTestClient.Closed(1008, "idle_timeout"), web.awaitClose());
        }
    }

    @Test
    void floodingIsRateLimitedThenCutOffWith1008() throws Exception {
        try (ChatServer server = ChatServer.start(config().msgRate(1).msgBurst(5).build());
             WsTestClient web = WsTestClient.welcomed(server, "flooder")) {
            boolean limited = false;
            for (int i = 0; i < 10; i++) {
                web.send(new ClientMessage.Rooms("r" + i));
            }
            for (int i = 0; i < 10; i++) {
                ServerMessage reply = web.next();
                limited |= reply instanceof ServerMessage.Error error && error.code() == ErrorCode.RATE_LIMITED;
            }
            assertTrue(limited, "rate limited");
            for (int i = 0; i < 60; i++) {
                web.ws().sendText("{\"type\":\"rooms\"}", true);
            }
            web.await(ServerMessage.Error.class);
            WsTestClient.Closed closed = web.awaitClose();
            assertEquals(new WsTestClient.Closed(1008, "excess_flood"), closed);
            assertEquals(1, server.stats().get("floodDisconnects"));
        }
    }

    @Test
    void aFullServerSaysSoAndClosesWith1013() throws Exception {
        try (ChatServer server = ChatServer.start(config().maxConnections(1).build());
             WsTestClient first = WsTestClient.welcomed(server, "first");
             WsTestClient second = WsTestClient.connect(server)) {
            assertEquals(ErrorCode.SERVER_FULL, second.next(ServerMessage.Error.class).code());
            assertEquals(1013, second.awaitClose().code());
            first.send(new ClientMessage.Ping("still served"));
            assertEquals("still served", first.next(ServerMessage.Pong.class).ref());
        }
    }

    @Test
    void aBrowserThatStopsReadingIsCutOffAsASlowConsumerAndNobodyElseNotices() throws Exception {
        try (ChatServer server = ChatServer.start(config().outboxBytes(64 * 1024).replayBytes(16 * 1024).build());
             TestClient talker = TestClient.welcomed(server, "talker");
             TestClient listener = TestClient.welcomed(server, "listener");
             WsTestClient stalled = WsTestClient.notReading(server)) {
            stalled.send(new ClientMessage.Hello("stalled", null, null, null, "h"));
            stalled.send(new ClientMessage.Join("#busy", "j"));
            talker.join("#busy");
            listener.join("#busy");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                listener.send(new ClientMessage.Who("#busy", "who"));
                return listener.await(ServerMessage.Who.class).nicks().size() == 3;
            });
            String text = "x".repeat(3900);
            ServerMessage.Parted parted = null;
            for (int i = 0; i < 20_000 && parted == null; i++) {
                ChatMessage own = talker.say("#busy", text + i);
                while (true) {
                    ServerMessage seen = listener.next();
                    if (seen instanceof ServerMessage.Parted p && p.nick().equals("stalled")) {
                        parted = p;
                    }
                    if (seen instanceof ChatMessage chat && chat.id() == own.id()) {
                        break;
                    }
                }
            }
            assertEquals(ServerMessage.Parted.REASON_SLOW_CONSUMER, parted == null ? null : parted.reason());
            assertEquals(1, server.stats().get("slowConsumers"));
            await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() == 2);
            assertEquals("still here", talker.say("#busy", "still here").text());
        }
    }

    @Test
    void anUpgradeFromAnotherOriginIsRefusedWith403AndTheOwnOriginIsLetIn() throws Exception {
        try (ChatServer server = ChatServer.start(config().build())) {
            URI uri = WsTestClient.uri(server);
            InetSocketAddress http = server.httpAddress().orElseThrow();
            assertEquals(403, refusedStatus(uri, "http://evil.example"));
            try (WsTestClient same = WsTestClient.connect(uri, "http://127.0.0.1:" + http.getPort())) {
                same.hello("same");
            }
            try (WsTestClient program = WsTestClient.connect(uri, null)) { // no Origin: not a browser
                program.hello("program");
            }
        }
    }

    @Test
    void allowedOriginsAreLetInAndOthersStillRefused() throws Exception {
        try (ChatServer server = ChatServer.start(config().httpAllowedOrigins(List.of("https://chat.example.com"))
                .build())) {
            URI uri = WsTestClient.uri(server);
            try (WsTestClient allowed = WsTestClient.connect(uri, "https://chat.example.com")) {
                allowed.hello("allowed");
            }
            assertEquals(403, refusedStatus(uri, "https://evil.example.com"));
        }
    }

    private static int refusedStatus(URI uri, String origin) {
        CompletionException failed = assertThrows(CompletionException.class, () -> WsTestClient.connect(uri, origin));
        return assertInstanceOf(WebSocketHandshakeException.class, failed.getCause()).getResponse().statusCode();
    }
}
