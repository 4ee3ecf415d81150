package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code history} with {@code before} and {@code after} (PROTOCOL.md): the same pages and
 * {@code more} markers from the store, from Redis in cluster mode, and (as far as it remembers)
 * from memory with {@code --data none}.
 */
@Timeout(120)
class HistoryPagingTest {

    static final int HISTORY = 5;

    @TempDir
    Path temp;

    private static ChatConfig.Builder config() {
        return ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0).statsInterval(Duration.ZERO)
                .historyLength(HISTORY);
    }

    /** A history reply: its messages and its trailer. */
    record Reply(List<ChatMessage> messages, ServerMessage.History trailer) {
        long[] ids() {
            return messages.stream().mapToLong(ChatMessage::id).toArray();
        }
    }

    static Reply history(TestClient client, String room, Integer limit, Long before, Long after) throws IOException {
        String ref = client.ref();
        client.send(new ClientMessage.History(room, limit, before, after, ref));
        List<ChatMessage> messages = new ArrayList<>();
        while (true) {
            ServerMessage message = client.next();
            if (message instanceof ChatMessage chat && ref.equals(chat.ref())) {
                assertTrue(chat.replay(), chat::toString);
                messages.add(chat);
            } else if (message instanceof ServerMessage.History trailer && ref.equals(trailer.ref())) {
                assertEquals(messages.size(), trailer.count());
                return new Reply(messages, trailer);
            } else if (message instanceof ServerMessage.Error error && ref.equals(error.ref())) {
                throw new AssertionError("history failed: " + error);
            }
        }
    }

    @Test
    void theStorePagesBackAndCatchesUp() throws Exception {
        try (ChatServer server = ChatServer.start(config().dataDir(temp.resolve("data")).build())) {
            pagesBackAndCatchesUp(server, server);
        }
    }

    @Test
    void clusterModePagesTheSameWay() throws Exception {
        try (TestRedis redis = TestRedis.start(temp, false);
             ChatServer n1 = ChatServer.start(config().cluster(redis.uri()).build());
             ChatServer n2 = ChatServer.start(config().cluster(redis.uri()).build())) {
            pagesBackAndCatchesUp(n1, n2);
        }
    }

    /** Twelve messages said on {@code speakOn}, paged by a client of {@code readOn}. */
    private static void pagesBackAndCatchesUp(ChatServer speakOn, ChatServer readOn) throws Exception {
        long[] ids = new long[12];
        try (TestClient alice = TestClient.welcomed(speakOn, "alice")) {
            alice.join("#p");
            alice.join("#noise");
            for (int i = 0; i < ids.length; i++) {
                ids[i] = alice.say("#p", "m" + i).id();
                alice.say("#noise", "n" + i);
            }
        } // the room empties: its history stays
        try (TestClient bob = TestClient.welcomed(readOn, "bob")) {
            List<ChatMessage> replay = bob.join("#p");
            assertEquals(List.of("m7", "m8", "m9", "m10", "m11"), replay.stream().map(ChatMessage::text).toList(),
                    "the join replays the last " + HISTORY + " from the store, though the room had emptied");
            Reply latest = history(bob, "#p", null, Long.MAX_VALUE, null);
            assertEquals(List.of(ids[7], ids[8], ids[9], ids[10], ids[11]), boxed(latest.ids()));
            assertTrue(latest.trailer().more());

            Reply back = history(bob, "#p", null, ids[7], null);
            assertEquals(boxed(ids, 2, 7), boxed(back.ids()));
            assertTrue(back.trailer().more());
            Reply oldest = history(bob, "#p", null, ids[2], null);
            assertEquals(boxed(ids, 0, 2), boxed(oldest.ids()));
            assertEquals(false, oldest.trailer().more());
            Reply nothing = history(bob, "#p", null, ids[0], null);
            assertEquals(0, nothing.trailer().count());
            assertEquals(false, nothing.trailer().more());

            Reply first = history(bob, "#p", null, null, 0L);
            assertEquals(boxed(ids, 0, 5), boxed(first.ids()));
            assertTrue(first.trailer().more());
            Reply next = history(bob, "#p", 3, null, ids[4]);
            assertEquals(boxed(ids, 5, 8), boxed(next.ids()));
            assertTrue(next.trailer().more());
            Reply end = history(bob, "#p", 1000, null, ids[9]);
            assertEquals(boxed(ids, 10, 12), boxed(end.ids()), "a limit above historyLength is historyLength");
            assertEquals(false, end.trailer().more());
            Reply none = history(bob, "#p", null, null, ids[11]);
            assertEquals(0, none.trailer().count());
            assertEquals(false, none.trailer().more());

            Reply two = history(bob, "#p", 2, ids[11], null);
            assertEquals(boxed(ids, 9, 11), boxed(two.ids()));
            assertTrue(two.trailer().more());

            refusals(bob);
        }
    }

    private static void refusals(TestClient bob) throws IOException {
        bob.send(new ClientMessage.History("#p", null, 5L, 1L, "both"));
        assertTrue(bob.nextError(ErrorCode.BAD_REQUEST, "both").message().contains("not both"));
        bob.send(new ClientMessage.History("#p", 0, 5L, null, "zero"));
        bob.nextError(ErrorCode.BAD_REQUEST, "zero");
        bob.send(new ClientMessage.History("#elsewhere", null, 5L, null, "out"));
        bob.nextError(ErrorCode.NOT_IN_ROOM, "out");
        bob.send(new ClientMessage.History("no-hash", null, null, 1L, "bad"));
        bob.nextError(ErrorCode.BAD_ROOM, "bad");
        bob.sendLine("{\"type\":\"history\",\"room\":\"#p\",\"before\":\"5\",\"ref\":\"str\"}");
        bob.nextError(ErrorCode.BAD_REQUEST, "str");
    }

    @Test
    void inMemoryPagesCoverWhatTheRoomRemembers() throws Exception {
        try (ChatServer server = ChatServer.start(config().build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.join("#m");
            long[] ids = new long[8];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = alice.say("#m", "m" + i).id();
            }
            // The room remembers the last 5 (ids[3..7]); nothing older is left anywhere.
            Reply back = history(alice, "#m", 2, ids[6], null);
            assertEquals(boxed(ids, 4, 6), boxed(back.ids()));
            assertTrue(back.trailer().more());
            Reply oldest = history(alice, "#m", null, ids[4], null);
            assertEquals(boxed(ids, 3, 4), boxed(oldest.ids()));
            assertEquals(false, oldest.trailer().more());
            Reply after = history(alice, "#m", 3, null, 0L);
            assertEquals(boxed(ids, 3, 6), boxed(after.ids()));
            assertTrue(after.trailer().more());
            Reply plain = history(alice, "#m", null, null, null);
            assertEquals(boxed(ids, 3, 8), boxed(plain.ids()));
            assertEquals(false, plain.trailer().more(), "without a store, nothing older can be paged");
            refusals(alice);
        }
    }

    private static List<Long> boxed(long[] ids) {
        return boxed(ids, 0, ids.length);
    }

    private static List<Long> boxed(long[] ids, int from, int to) {
        List<Long> list = new ArrayList<>();
        for (int i = from; i < to; i++) {
            list.add(ids[i]);
        }
        return list;
    }
}
