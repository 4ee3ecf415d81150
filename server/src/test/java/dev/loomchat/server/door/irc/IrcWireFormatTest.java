package dev.loomchat.server.door.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.chat.Outbox;
import dev.loomchat.server.chat.Outgoing;
import dev.loomchat.server.chat.WireFormat;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The IRC wire format: a fan-out event is encoded once for every IRC member, with and without tags. */
class IrcWireFormatTest {

    private final IrcWireFormat format = new IrcWireFormat(new IrcSettings(ChatConfig.defaults(),
            IrcConfig.on(new InetSocketAddress("127.0.0.1", 0)), "test", Instant.EPOCH), null);

    /** Counts the encodings it is asked for. */
    private final class Counting implements WireFormat<IrcFrame> {
        final AtomicInteger encodings = new AtomicInteger();

        @Override
        public IrcFrame encode(ServerMessage message) {
            encodings.incrementAndGet();
            return format.encode(message);
        }

        @Override
        public int size(IrcFrame frame) {
            return frame.size();
        }
    }

    private static String written(IrcFrame frame, boolean tags) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame.writeTo(out, tags);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRoomMessageIsEncodedOnceForAllIrcMembersTaggedAndPlainAlike() throws Exception {
        Counting counting = new Counting();
        List<Outbox<IrcFrame>> members = List.of(new Outbox<>(counting, 10, 1 << 20), new Outbox<>(counting, 10, 1 << 20),
                new Outbox<>(counting, 10, 1 << 20));
        Outgoing event = new Outgoing(ServerMessage.ChatMessage.toRoom(7, 1_700_000_000_000L, "alice", "#room", "hi"));

        for (Outbox<IrcFrame> member : members) {
            member.offer(event);
        }

        assertEquals(1, counting.encodings.get(), "one encoding, three members");
        IrcFrame first = null;
        for (Outbox<IrcFrame> member : members) {
            member.attachWriter(() -> { });
            ArrayDeque<IrcFrame> batch = member.nextBatch(null);
            first = first == null ? batch.getFirst() : first;
            assertSame(first, batch.getFirst());
        }
        assertEquals(":alice!chat@loomchat PRIVMSG #room :hi\r\n", written(first, false));
        assertEquals("@time=2023-11-14T22:13:20.000Z;msgid=7 :alice!chat@loomchat PRIVMSG #room :hi\r\n",
                written(first, true));
    }

    @Test
    void joinsPartsQuitsAndNickChangesNameOnlyTheirSubject() throws Exception {
        assertEquals(":bob!chat@loomchat JOIN #room\r\n",
                written(format.encode(new ServerMessage.Joined("#room", "bob", 0, null)), false));
        assertEquals(":bob!chat@loomchat PART #room\r\n",
                written(format.encode(new ServerMessage.Parted("#room", "bob", "part", 0, null)), false));
        assertEquals(":bob!chat@loomchat QUIT :Ping timeout\r\n",
                written(format.encode(new ServerMessage.Parted("#room", "bob", "idle_timeout", 0, null)), false));
        assertEquals("@time=1970-01-01T00:00:00.000Z :bob!chat@loomchat NICK :robert\r\n",
                written(format.encode(new ServerMessage.Nick("bob", "robert", 0, null)), true));
    }

    @Test
    void theSendersOwnCopyIsNothingUnlessItAskedForEchoMessage() throws Exception {
        ServerMessage.ChatMessage own = ServerMessage.ChatMessage.toRoom(1, 0, "alice", "#room", "hi");
        String plain = new IrcRef("PRIVMSG", "alice", false, false, false, false, "#room").encode();
        String echo = new IrcRef("PRIVMSG", "alice", false, true, false, false, "#room").encode();

        assertEquals("", written(format.encode(own.withRef(plain)), false));
        assertEquals(":alice!chat@loomchat PRIVMSG #room :hi\r\n", written(format.encode(own.withRef(echo)), false));
    }

    @Test
    void longTextIsSplitIntoLinesOfAtMost512BytesThatJoinBackToTheText() {
        String text = "añ😀 ".repeat(900).strip();
        List<String> lines = IrcWireFormat.privmsgs("someone", "#room", text);

        StringBuilder joined = new StringBuilder();
        for (String line : lines) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 512, line);
            assertTrue(line.endsWith("\r\n"));
            joined.append(line, ":someone!chat@loomchat PRIVMSG #room :".length(), line.length() - 2);
        }
        assertEquals(text, joined.toString());
        List<String> action = IrcWireFormat.privmsgs("someone", "#room", "/me " + "x".repeat(1000));
        assertTrue(action.stream().allMatch(line -> line.contains(":\u0001ACTION x") && line.endsWith("\u0001\r\n")),
                "every piece of an action is an action");
    }
}
