package dev.loomchat.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.loomchat.protocol.TestStreams.concat;
import static dev.loomchat.protocol.TestStreams.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The reader end to end: framing and decoding together, as a connection handler sees them. */
class MessageReaderTest {

    static <M extends Message> List<Decoded<M>> readAll(MessageReader<M> reader) throws IOException {
        List<Decoded<M>> out = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            Decoded<M> decoded = reader.read();
            out.add(decoded);
            if (decoded instanceof Decoded.End) {
                return out;
            }
        }
        throw new AssertionError("no end after 100000 reads");
    }

    static String codes(List<? extends Decoded<?>> results) {
        var out = new StringBuilder();
        for (Decoded<?> decoded : results) {
            out.append(switch (decoded) {
                case Decoded.Ok<?>(Message m) -> m.type();
                case Decoded.Bad<?>(ProtocolError e) -> "!" + e.code().wire();
                case Decoded.End<?> end -> "END";
            }).append(' ');
        }
        return out.toString().trim();
    }

    @Test
    void everyKindOfBadLineIsReportedAndTheStreamStaysInSync() throws IOException {
        byte[] stream = concat(
                utf8("{\"type\":\"hello\",\"nick\":\"alice\"}\r\n"),
                utf8("\n   \n"),                                              // blank: ignored
                utf8("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"" + "x".repeat(200) + "\"}\n"), // too long
                utf8("{\"type\":\"join\",\"room\":\"#a\"}\n"),
                new byte[]{'{', '"', (byte) 0xC3, '"', '}', '\n'},                   // bad UTF-8
                utf8("{\"type\":\"join\"\n"),                                  // bad JSON
                utf8("[1,2,3]\n"),                                               // not an object
                utf8("{\"room\":\"#a\"}\n"),                                   // no type
                utf8("{\"type\":\"fly\"}\n"),                                  // unknown type
                utf8("{\"type\":\"say\",\"room\":\"#a\"}\n"),                  // missing field
                utf8("{\"type\":\"history\",\"room\":\"#a\",\"limit\":\"all\"}\n"), // ill-typed field
                utf8("{\"type\":\"say\",\"room\":\"#a\",\"text\":\"hi\",\"ref\":\"last\"}\n"),
                utf8("{\"type\":\"quit\""));                                   // cut off
        var reader = new MessageReader<>(new ByteArrayInputStream(stream), Codec.CLIENT_TO_SERVER, 128);
        var results = readAll(reader);
        assertEquals("hello !line_too_long join !bad_encoding !bad_json !not_object !bad_request !unknown_type "
                + "!bad_request !bad_request say !eof_mid_line END", codes(results));
        assertEquals(new Decoded.Ok<>(new ClientMessage.Say("#a", "hi", "last")), results.get(10));
    }

    @Test
    void aByteOrderMarkStartingALineIsIgnoredAndALineOfOnlyABomIsBlank() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] stream = concat(bom, utf8("{\"type\":\"ping\",\"ref\":\"1\"}\r\n"), bom, utf8(" \t\r\n"), bom,
                utf8("\n"), bom, utf8("{\"type\":\"ping\",\"ref\":\"2\"}\n"), bom, bom, utf8("{\"type\":\"ping\"}\n"), bom);
        var results = readAll(new MessageReader<>(TestStreams.oneByteAtATime(stream), Codec.CLIENT_TO_SERVER));
        assertEquals("ping ping !bad_json END", codes(results));
        assertEquals(new Decoded.Ok<>(new ClientMessage.Ping("2")), results.get(1));
    }

    @Test
    void manyFramesArrivingOneByteAtATime() throws IOException {
        var out = new ByteArrayOutputStream();
        List<ClientMessage> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ClientMessage message = Samples.client().get(i % Samples.client().size());
            sent.add(message);
            out.writeBytes(Frame.of(message).toByteArray());
        }
        var reader = new MessageReader<>(TestStreams.oneByteAtATime(out.toByteArray()), Codec.CLIENT_TO_SERVER);
        List<ClientMessage> received = new ArrayList<>();
        for (Decoded<ClientMessage> decoded : readAll(reader)) {
            if (decoded instanceof Decoded.Ok<ClientMessage>(ClientMessage m)) {
                received.add(m);
            } else {
                assertInstanceOf(Decoded.End.class, decoded);
            }
        }
        assertEquals(sent, received);
    }

    @Test
    void clientSideReaderDecodesServerFramesWithTheBiggerDefaultLimit() throws IOException {
        List<String> nicks = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            nicks.add("nick" + i + "_" + "x".repeat(20));
        }
        var who = new ServerMessage.Who("#big", nicks, "w");
        byte[] line = Frame.of(who).toByteArray();
        // Bigger than a client may send, smaller than what a client must accept from a server.
        assertEquals(true, line.length > LineReader.DEFAULT_MAX_LINE_BYTES && line.length < Protocol.MAX_SERVER_LINE_BYTES);
        var reader = new MessageReader<>(new ByteArrayInputStream(line), Codec.SERVER_TO_CLIENT);
        assertEquals(Protocol.MAX_SERVER_LINE_BYTES, reader.maxLineBytes());
        assertEquals(new Decoded.Ok<>(who), reader.read());
        assertInstanceOf(Decoded.End.class, reader.read());
    }

    @Test
    void serverSideDefaultLimitIs64KiB() {
        var reader = new MessageReader<>(new ByteArrayInputStream(new byte[0]), Codec.CLIENT_TO_SERVER);
        assertEquals(64 * 1024, reader.maxLineBytes());
    }

    @Test
    void lineTooLongErrorSaysTheLimit() throws IOException {
        var reader = new MessageReader<>(new ByteArrayInputStream(utf8("x".repeat(50) + "\n")),
                Codec.CLIENT_TO_SERVER, 10);
        var decoded = (Decoded.Bad<ClientMessage>) reader.read();
        assertEquals(ErrorCode.LINE_TOO_LONG, decoded.error().code());
        assertEquals("line longer than 10 bytes; discarded up to its newline", decoded.error().message());
    }
}
