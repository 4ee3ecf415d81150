package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import dev.loomchat.server.bus.RoomBus;
import dev.loomchat.server.bus.RoomEvent;
import dev.loomchat.server.bus.redis.RedisRoomBus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode's request semantics with two nodes in this JVM (two {@link ChatServer}s on one
 * {@code redis-server}): room lists, nick changes, history and private messages span nodes.
 */
@Timeout(120)
class ClusterRoomsTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private TwoNodes nodes;
    private ChatServer n1;
    private ChatServer n2;

    @BeforeEach
    void start() throws Exception {
        nodes = TwoNodes.start(temp, false, TestServers.config().historyLength(3));
        n1 = nodes.n1;
        n2 = nodes.n2;
    }

    @AfterEach
    void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private TestClient welcomed(ChatServer node, String nick) throws IOException {
        return TestClient.welcomed(node, nick);
    }

    @Test
    void roomsListsTheRoomsOfEveryNodeWithTheirMemberCounts() throws Exception {
        try (TestClient alice = welcomed(n1, "alice"); TestClient bob = welcomed(n2, "bob");
             TestClient carol = welcomed(n2, "carol")) {
            alice.join("#a");
            bob.join("#a");
            carol.join("#b");
            String ref = alice.ref();
            alice.send(new ClientMessage.Rooms(ref));
            ServerMessage.Rooms rooms = (ServerMessage.Rooms) alice.readUntil(m -> ref.equals(m.ref())).getLast();
            assertEquals(List.of(new RoomInfo("#a", 2), new RoomInfo("#b", 1)), rooms.rooms());
        }
    }

    @Test
    void topicsModesAndKicksCrossNodes() throws Exception {
        try (TestClient alice = welcomed(n1, "alice"); TestClient bob = welcomed(n2, "bob")) {
            alice.join("#m");
            bob.join("#m");
            alice.readUntil(m -> m instanceof ServerMessage.Joined j && j.nick().equals("bob"));
            alice.send(new ClientMessage.Topic("#m", "from node one", alice.ref()));
            ServerMessage.Topic topic = bob.await(ServerMessage.Topic.class);
            assertEquals(List.of("from node one", "alice"), List.of(topic.text(), topic.nick()));

            alice.send(new ClientMessage.Mode("#m", "+o bob", alice.ref()));
            assertEquals("+o bob", bob.await(ServerMessage.Mode.class).modes());
            bob.send(new ClientMessage.Kick("#m", "alice", "node two says so", bob.ref()));
            ServerMessage.Kicked kicked = alice.await(ServerMessage.Kicked.class);
            assertEquals(List.of("alice", "bob", "node two says so"),
                    List.of(kicked.nick(), kicked.by(), kicked.message()));
            await().atMost(WITHIN).until(() -> who(bob, "#m"), nicks -> nicks.equals(List.of("bob")));
        }
    }

    /**
     * The kicked client answers its {@code kicked} at once: its node must have taken it out of the
     * room before telling it (it once told it first, and the line slipped through as a member's,
     * to be dropped unanswered when the kick's delivery emptied the room there).
     */
    @Test
    void aSayAfterACrossNodeKickIsRefused() throws Exception {
        try (TestClient alice = welcomed(n1, "alice"); TestClient bob = welcomed(n2, "bob")) {
            alice.join("#k");
            bob.join("#k");
            alice.readUntil(m -> m instanceof ServerMessage.Joined j && j.nick().equals("bob"));
            alice.send(new ClientMessage.Mode("#k", "+o bob", alice.ref()));
            assertEquals("+o bob", bob.await(ServerMessage.Mode.class).modes());
            bob.send(new ClientMessage.Kick("#k", "alice", null, bob.ref()));
            alice.await(ServerMessage.Kicked.class);
            String ref = alice.ref();
            alice.send(new ClientMessage.Say("#k", "still here?", ref));
            alice.nextError(ErrorCode.NOT_IN_ROOM, ref);
        }
    }

    /**
     * The other half of that race: a node accepts a member's line just before it applies a kick
     * that Redis ordered first. The log refuses the line (it would reach the others after the
     * kick and never come back to its speaker), until the member joins again.
     */
    @Test
    void theLogRefusesALineWhoseSpeakersKickCameFirst() {
        try (RedisRoomBus bus = new RedisRoomBus(nodes.redis.uri(), Duration.ofSeconds(30), 3, (name, body) -> body)) {
            bus.start(new RoomBus.Listener() {
                @Override
                public void deliver(String roomKey, RoomEvent event) {
                }

                @Override
                public void deliverDirect(String toKey, ChatMessage message) {
                }
            });
            String node = bus.nodeId();
            long ts = System.currentTimeMillis();
            RoomEvent.Said line = new RoomEvent.Said(0, 0, "#r", node, "Alice", "hi", ts, "1");
            bus.publish("#r", new RoomEvent.Joined(0, "#r", node, "Alice", ts, true));
            bus.publish("#r", new RoomEvent.Joined(0, "#r", node, "bob", ts, false));
            assertTrue(bus.publishMemberLine("#r", line), "a member's line");
            bus.publish("#r", new RoomEvent.Kicked(0, "#r", "another-node", "alice", "bob", "", ts));
            assertFalse(bus.publishMemberLine("#r", line), "a line after its speaker's kick");
            assertTrue(bus.publishMemberLine("#r", new RoomEvent.Said(0, 0, "#r", node, "bob", "hi", ts, "2")),
                    "another member's line");
            bus.publish("#r", new RoomEvent.Joined(0, "#r", node, "Alice", ts, false));
            assertTrue(bus.publishMemberLine("#r", line), "a line after the speaker joined again");
        }
    }

    @Test
    void aNickChangeReachesPeersOnTheOtherNodeOnceAndRenamesThemInWho() throws Exception {
        try (TestClient alice = welcomed(n1, "alice"); TestClient bob = welcomed(n2, "bob")) {
            for (String room : List.of("#x", "#y")) {
                alice.join(room);
                bob.join(room);
                alice.readUntil(m -> m instanceof ServerMessage.Joined j && j.nick().equals("bob"));
            }
            alice.send(new ClientMessage.Nick("alicia", "n"));
            alice.readUntil(m -> m instanceof ServerMessage.Nick n && "n".equals(n.ref()));
            ServerMessage.Nick seen = (ServerMessage.Nick) bob.readUntil(m -> m instanceof ServerMessage.Nick).getLast();
            assertEquals("alice", seen.old());
            assertEquals("alicia", seen.nick());
            await().atMost(WITHIN).until(() -> who(bob, "#y"), nicks -> nicks.equals(List.of("alicia", "bob")));
            // once: nothing but the who replies came after the one nick event
            assertTrue(bob.sync().stream().noneMatch(m -> m instanceof ServerMessage.Nick), "a second nick event");
            // the old nick is free on every node, the new one taken
            try (TestClient other = TestClient.connect(n2.address())) {
                other.send(new ClientMessage.Hello("ALICIA", null, "tests", 1, "1"));
                other.nextError(ErrorCode.NICK_IN_USE);
                other.hello("alice");
            }
        }
    }

    @Test
    void historyComesFromTheSharedLogAndOutlivesTheRoomsMembers() throws Exception {
        try (TestClient alice = welcomed(n1, "alice")) {
            alice.join("#log");
            for (int i = 1; i <= 5; i++) {
                alice.say("#log", "line " + i);
            }
            alice.send(new ClientMessage.Part("#log", "p"));
            alice.readUntil(m -> "p".equals(m.ref()));
        }
        // Nobody is in #log on any node now; a joiner on the other node gets its last 3 lines.
        try (TestClient bob = welcomed(n2, "bob")) {
            List<ChatMessage> replay = bob.join("#log");
            assertEquals(List.of("line 3", "line 4", "line 5"), replay.stream().map(ChatMessage::text).toList());
            String ref = bob.ref();
            bob.send(new ClientMessage.History("#log", 2, ref));
            List<ServerMessage> frames = bob.readUntil(m -> m instanceof ServerMessage.History);
            assertEquals(List.of("line 4", "line 5"), frames.stream().filter(m -> m instanceof ChatMessage)
                    .map(m -> ((ChatMessage) m).text()).toList());
        }
    }

    @Test
    void privateMessagesCrossNodesAndUnknownNicksAreRefused() throws Exception {
        try (TestClient alice = welcomed(n1, "alice"); TestClient bob = welcomed(n2, "bob")) {
            alice.send(new ClientMessage.Msg("BOB", "hi", "1"));
            ChatMessage mine = (ChatMessage) alice.readUntil(m -> "1".equals(m.ref())).getLast();
            assertEquals("bob", mine.to());
            ChatMessage theirs = (ChatMessage) bob.readUntil(m -> m instanceof ChatMessage).getLast();
            assertEquals(mine.id(), theirs.id());
            assertEquals("alice", theirs.from());
            assertEquals("hi", theirs.text());
            alice.send(new ClientMessage.Msg("nobody", "hi", "2"));
            alice.nextError(ErrorCode.NO_SUCH_NICK, "2");
        }
    }

    private static List<String> who(TestClient client, String room) throws IOException {
        String ref = client.ref();
        client.send(new ClientMessage.Who(room, ref));
        return ((ServerMessage.Who) client.readUntil(m -> ref.equals(m.ref())).getLast()).nicks();
    }
}
