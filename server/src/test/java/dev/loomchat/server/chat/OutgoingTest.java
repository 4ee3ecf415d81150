package dev.loomchat.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.loomchat.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An event fanned out to many connections is encoded once per wire format, not once per connection. */
class OutgoingTest {

    /** A wire format that counts its encodings. */
    static final class CountingFormat implements WireFormat<String> {
        final String name;
        int encodings;

        CountingFormat(String name) {
            this.name = name;
        }

        @Override
        public String encode(ServerMessage message) {
            encodings++;
            return name + ":" + message;
        }

        @Override
        public int size(String frame) {
            return frame.length();
        }
    }

    @Test
    void threeDoorsWithManyConnectionsEachEncodeAnEventOnce() {
        List<CountingFormat> formats = List.of(new CountingFormat("lines"), new CountingFormat("websocket"),
                new CountingFormat("irc"));
        List<Outbox<String>> outboxes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            outboxes.add(new Outbox<>(formats.get(i % 3), 10, 1 << 20));
        }
        Outgoing event = new Outgoing(new ServerMessage.Pong("x"));

        for (Outbox<String> outbox : outboxes) {
            assertEquals(Outbox.Offer.QUEUED, outbox.offer(event));
        }

        for (CountingFormat format : formats) {
            assertEquals(1, format.encodings, format.name);
        }
        assertSame(event.encoded(formats.get(2)), outboxes.get(2).nextBatch(null).getFirst(),
                "every irc connection queues the one encoding");
    }

    @Test
    void aFourthAndFifthFormatStillEncodeOnceEach() {
        Outgoing event = new Outgoing(new ServerMessage.Pong("x"));
        List<CountingFormat> formats = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            formats.add(new CountingFormat("f" + i));
        }

        for (int round = 0; round < 3; round++) {
            for (CountingFormat format : formats) {
                assertEquals(format.name + ":" + event.message(), event.encoded(format));
            }
        }

        for (CountingFormat format : formats) {
            assertEquals(1, format.encodings, format.name);
        }
    }
}
