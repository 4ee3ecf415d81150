package dev.loomchat.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundTripTest {

    static Stream<ClientMessage> clientMessages() {
        return Samples.client().stream();
    }

    static Stream<ServerMessage> serverMessages() {
        return Samples.server().stream();
    }

    @ParameterizedTest
    @MethodSource("clientMessages")
    void clientMessageSurvivesEncodeAndDecode(ClientMessage message) {
        Frame frame = Codec.CLIENT_TO_SERVER.encode(message);
        assertOneLine(frame);
        assertEquals(new Decoded.Ok<>(message), Codec.CLIENT_TO_SERVER.decode(frame.toByteArray()));
        assertEquals(frame, Frame.of(message));
        assertTrue(frame.toString().startsWith("{\"type\":\"" + message.type() + "\""), frame.toString());
    }

    @ParameterizedTest
    @MethodSource("serverMessages")
    void serverMessageSurvivesEncodeAndDecode(ServerMessage message) {
        Frame frame = Codec.SERVER_TO_CLIENT.encode(message);
        assertOneLine(frame);
        assertEquals(new Decoded.Ok<>(message), Codec.SERVER_TO_CLIENT.decode(frame.toByteArray()));
        assertEquals(frame, Frame.of(message));
        assertTrue(frame.toString().startsWith("{\"type\":\"" + message.type() + "\""), frame.toString());
    }

    @Test
    void everyMessageTypeHasASample() {
        assertEquals(typeNames(ClientMessage.class),
                Samples.client().stream().map(Message::type).collect(Collectors.toSet()));
        assertEquals(typeNames(ServerMessage.class),
                Samples.server().stream().map(Message::type).collect(Collectors.toSet()));
        assertEquals(typeNames(ClientMessage.class), Codec.CLIENT_TO_SERVER.typeNames());
        assertEquals(typeNames(ServerMessage.class), Codec.SERVER_TO_CLIENT.typeNames());
    }

    @Test
    void theVocabularyIsTheDocumentedOne() {
        assertEquals(List.of("hello", "join", "part", "say", "msg", "nick", "who", "rooms", "history", "ping",
                "pong", "stats", "quit", "topic", "kick", "mode", "invite", "register", "password", "unregister", "kill",
                "ban", "unban", "bans", "reset_password"),
                List.copyOf(Codec.CLIENT_TO_SERVER.typeNames()));
        assertEquals(List.of("welcome", "message", "joined", "parted", "nick", "who", "rooms", "history", "ping",
                "pong", "stats", "error", "shutdown", "bye", "account", "topic", "mode", "kicked", "invited", "killed",
                "bans"),
                List.copyOf(Codec.SERVER_TO_CLIENT.typeNames()));
    }

    // --- the exact wire form, pinned: PROTOCOL.md shows these ---

    @Test
    void sayOnTheWire() {
        assertWire("{\"type\":\"say\",\"room\":\"#general\",\"text\":\"hi\",\"ref\":\"7\"}",
                new ClientMessage.Say("#general", "hi", "7"));
        assertWire("{\"type\":\"say\",\"room\":\"#general\",\"text\":\"hi\"}",
                new ClientMessage.Say("#general", "hi"));
    }

    @Test
    void helloOnTheWire() {
        assertWire("{\"type\":\"hello\",\"nick\":\"alice\",\"proto\":1}", new ClientMessage.Hello("alice"));
        assertWire("{\"type\":\"rooms\"}", new ClientMessage.Rooms());
    }

    @Test
    void roomMessageOnTheWire() {
        assertWire("{\"type\":\"message\",\"id\":42,\"ts\":1700000000000,\"from\":\"alice\",\"text\":\"hi\","
                        + "\"room\":\"#general\"}",
                ServerMessage.ChatMessage.toRoom(42, 1_700_000_000_000L, "alice", "#general", "hi"));
    }

    @Test
    void privateReplayedMessageOnTheWire() {
        assertWire("{\"type\":\"message\",\"id\":43,\"ts\":1700000000000,\"from\":\"alice\",\"text\":\"hi\","
                        + "\"to\":\"bob\",\"replay\":true,\"ref\":\"h1\"}",
                ServerMessage.ChatMessage.toNick(43, 1_700_000_000_000L, "alice", "bob", "hi").asReplay("h1"));
    }

    @Test
    void welcomeOnTheWire() {
        assertWire("{\"type\":\"welcome\",\"nick\":\"alice\",\"server\":\"loomchat\",\"version\":\"0.1.0\","
                        + "\"proto\":1,\"limits\":{\"maxLineBytes\":65536,\"maxTextChars\":4000,\"msgRate\":10,"
                        + "\"msgBurst\":20,\"maxRooms\":50,\"historyLength\":100,\"idleTimeoutSeconds\":60,"
                        + "\"pingTimeoutSeconds\":30,\"maxRefLength\":64,\"outboxFrames\":8192,\"outboxBytes\":1048576,"
                        + "\"replayBytes\":262144},\"ref\":\"r1\"}",
                new ServerMessage.Welcome("alice", "loomchat", "0.1.0", 1, Limits.DEFAULTS, "r1"));
    }

    @Test
    void repliesOnTheWire() {
        assertWire("{\"type\":\"error\",\"code\":\"nick_in_use\",\"message\":\"taken\",\"ref\":\"r1\"}",
                new ServerMessage.Error(ErrorCode.NICK_IN_USE, "taken", "r1"));
        assertWire("{\"type\":\"ping\"}", new ServerMessage.Ping());
        assertWire("{\"type\":\"rooms\",\"rooms\":[{\"room\":\"#a\",\"members\":3}]}",
                new ServerMessage.Rooms(List.of(new RoomInfo("#a", 3)), null));
        assertWire("{\"type\":\"stats\",\"counters\":{\"b\":2,\"a\":1}}",
                new ServerMessage.Stats(new java.util.LinkedHashMap<>(java.util.Map.of("b", 2L)) {{ put("a", 1L); }},
                        null));
        assertWire("{\"type\":\"parted\",\"room\":\"#a\",\"nick\":\"bob\",\"reason\":\"quit\",\"ts\":5}",
                new ServerMessage.Parted("#a", "bob", ServerMessage.Parted.REASON_QUIT, 5, null));
    }

    @Test
    void newlinesAndControlCharactersAreEscaped() {
        Frame frame = Frame.of(new ClientMessage.Say("#a", "line1\nline2\r\u0000\u2028", "x\ny"));
        assertEquals("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"line1\\nline2\\r\\u0000\u2028\",\"ref\":\"x\\ny\"}",
                frame.toString());
        assertOneLine(frame);
    }

    @Test
    void loneSurrogatesDoNotBreakEncoding() {
        // JSON escapes can carry a lone UTF-16 surrogate into a String; encoding must not fail on it.
        var decoded = Codec.CLIENT_TO_SERVER.decode("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"a\\ud800b\"}");
        var say = (ClientMessage.Say) ((Decoded.Ok<ClientMessage>) decoded).message();
        assertEquals("a\ud800b", say.text());
        Frame frame = Frame.of(new ServerMessage.Pong(say.text()));
        assertOneLine(frame);
        assertInstanceOf(Decoded.Ok.class, Codec.SERVER_TO_CLIENT.decode(frame.toByteArray()));
    }

    @Test
    void recordsRejectMissingRequiredFields() {
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> new ClientMessage.Say(null, "x"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ServerMessage.ChatMessage(1, 1, "a", "t", "#r", "bob", false, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ServerMessage.ChatMessage(1, 1, "a", "t", null, null, false, null));
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> new ServerMessage.Who("#r", Arrays.asList("a", null), null));
    }

    @Test
    void collectionsAreImmutableCopies() {
        var nicks = new java.util.ArrayList<>(List.of("a"));
        var who = new ServerMessage.Who("#r", nicks, null);
        nicks.add("b");
        assertEquals(List.of("a"), who.nicks());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> who.nicks().add("c"));
    }

    @Test
    void frameBytesAreACopy() {
        Frame frame = Frame.of(new ClientMessage.Ping());
        byte[] bytes = frame.toByteArray();
        bytes[2] = 'X';
        assertEquals("{\"type\":\"ping\"}", frame.toString());
        assertEquals(frame.length(), bytes.length);
    }

    @Test
    void protocolErrorBecomesAnErrorFrame() {
        var error = new ProtocolError(ErrorCode.BAD_JSON, "malformed", "r9");
        assertEquals(new ServerMessage.Error(ErrorCode.BAD_JSON, "malformed", "r9"), error.toMessage());
    }

    @Test
    void errorCodesHaveStableDistinctWireStrings() {
        Set<String> wires = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toSet());
        assertEquals(ErrorCode.values().length, wires.size());
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(code.wire().matches("[a-z_]+"), code.wire());
            assertEquals(code.name().toLowerCase(java.util.Locale.ROOT), code.wire());
            assertEquals(code, ErrorCode.fromWire(code.wire()).orElseThrow());
        }
        assertFalse(ErrorCode.fromWire("no_such_code").isPresent());
    }

    private static Set<String> typeNames(Class<?> sealedType) {
        return Arrays.stream(sealedType.getPermittedSubclasses())
                .map(c -> c.getAnnotation(com.fasterxml.jackson.annotation.JsonTypeName.class).value())
                .collect(Collectors.toSet());
    }

    private static void assertWire(String expectedJson, Message message) {
        Frame frame = Frame.of(message);
        assertEquals(expectedJson, frame.toString());
        assertEquals(expectedJson + "\n", new String(frame.toByteArray(), StandardCharsets.UTF_8));
    }

    /** Exactly one newline, at the end, and no carriage return anywhere. */
    static void assertOneLine(Frame frame) {
        byte[] bytes = frame.toByteArray();
        assertEquals('\n', bytes[bytes.length - 1]);
        for (int i = 0; i < bytes.length - 1; i++) {
            assertTrue(bytes[i] != '\n' && bytes[i] != '\r', "raw newline at " + i + " in " + frame);
        }
    }
}
