package dev.loomchat.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode end to end (issue 9): a real {@code redis-server} and two or three loomchat
 * nodes as separate processes; clients on different nodes share rooms, nicks and history, and
 * survive a node killed with SIGKILL and a Redis killed and restarted.
 */
@Timeout(240)
class ClusterModeTest {

    /**
     * Short, so that a killed node's nicks and members are released quickly; long enough that a
     * live node starved of CPU on a busy 2-core machine is not taken for dead.
     */
    private static final Duration TTL = Duration.ofSeconds(3);
    /** For tests where no node dies: a live node is never taken for dead. */
    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    /** Upper bound for anything to propagate on a busy 2-core machine; never a timing margin. */
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void clientsOnThreeNodesSeeOneRoomInTheSameOrder() throws Exception {
        try (TestRedis redis = TestRedis.start(temp, false);
             ClusterNode n1 = ClusterNode.start(redis.uri(), LONG_TTL, temp.resolve("n1.log"));
             ClusterNode n2 = ClusterNode.start(redis.uri(), LONG_TTL, temp.resolve("n2.log"));
             ClusterNode n3 = ClusterNode.start(redis.uri(), LONG_TTL, temp.resolve("n3.log"));
             TestClient alice = n1.connect(); TestClient bob = n2.connect(); TestClient carol = n3.connect()) {
            List<TestClient> clients = List.of(alice, bob, carol);
            alice.hello("alice");
            bob.hello("bob");
            carol.hello("carol");
            for (TestClient client : clients) {
                client.join("#lobby");
            }
            // Presence is shared: carol's node lists the members of the other nodes.
            await().atMost(WITHIN).until(() -> whoIn(carol, "#lobby"), nicks -> nicks.size() == 3);

            int perClient = 20;
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                List<CompletableFuture<List<ChatMessage>>> seen = new ArrayList<>();
                for (TestClient client : clients) {
                    seen.add(CompletableFuture.supplyAsync(() -> readMessages(client, 3 * perClient), senders));
                }
                for (int i = 0; i < perClient; i++) {
                    for (TestClient client : clients) {
                        client.send(new ClientMessage.Say("#lobby", client.nick() + " " + i, null));
                    }
                }
                List<Long> reference = ids(seen.getFirst().get(WITHIN.toSeconds(), TimeUnit.SECONDS));
                assertEquals(3 * perClient, new HashSet<>(reference).size(), "every message once");
                for (CompletableFuture<List<ChatMessage>> other : seen) {
                    List<ChatMessage> messages = other.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
                    assertEquals(reference, ids(messages), "the same order on every node");
                    for (int i = 1; i < messages.size(); i++) {
                        assertTrue(messages.get(i).id() > messages.get(i - 1).id(), "ids increase");
                    }
                }
            }
        }
    }

    @Test
    void aNickHeldOnOneNodeIsRefusedOnAnotherUntilReleased() throws Exception {
        try (TestRedis redis = TestRedis.start(temp, false);
             ClusterNode n1 = ClusterNode.start(redis.uri(), LONG_TTL, temp.resolve("n1.log"));
             ClusterNode n2 = ClusterNode.start(redis.uri(), LONG_TTL, temp.resolve("n2.log"));
             TestClient other = n2.connect()) {
            try (TestClient alice = n1.connect()) {
                alice.hello("alice");
                other.send(new ClientMessage.Hello("ALICE", null, "tests", 1, "1"));
                assertEquals("1", other.nextError(ErrorCode.NICK_IN_USE).ref());
                // A private message crosses nodes.
                other.hello("bob");
                other.send(new ClientMessage.Msg("alice", "psst", "2"));
                ChatMessage mine = nextChat(other);
                ChatMessage theirs = nextChat(alice);
                assertEquals("2", mine.ref());
                assertEquals(mine.id(), theirs.id());
                assertEquals("bob", theirs.from());
                assertEquals("alice", theirs.to());
                other.send(new ClientMessage.Nick("Alice", "3"));
                assertEquals("3", other.nextError(ErrorCode.NICK_IN_USE).ref());
            }
            // alice left: her nick is free on the other node (at once: a clean close releases it).
            await().atMost(WITHIN).until(() -> {
                String ref = other.ref();
                other.send(new ClientMessage.Nick("Alice", ref));
                return other.readUntil(m -> ref.equals(m.ref())).getLast() instanceof ServerMessage.Nick;
            });
        }
    }

    @Test
    void clientsOfAKilledNodeResumeOnAnotherWithTheirRoomAndHistory() throws Exception {
        try (TestRedis redis = TestRedis.start(temp, false);
             ClusterNode n2 = ClusterNode.start(redis.uri(), TTL, temp.resolve("n2.log"));
             TestClient bob = n2.connect()) {
            bob.hello("bob");
            bob.join("#ops");
            List<Long> said = new ArrayList<>();
            try (ClusterNode n1 = ClusterNode.start(redis.uri(), TTL, temp.resolve("n1.log"));
                 TestClient alice = n1.connect()) {
                alice.hello("alice");
                alice.join("#ops");
                for (int i = 0; i < 5; i++) {
                    said.add(alice.say("#ops", "before the crash " + i).id());
                }
                n1.kill();
            }
            // bob's node reaps the dead node: alice parts (reason disconnect) within the ttl.
            List<ServerMessage> toBob = bob.readUntil(m -> m instanceof ServerMessage.Parted p && "alice".equals(p.nick()));
            assertEquals(ServerMessage.Parted.REASON_DISCONNECT, ((ServerMessage.Parted) toBob.getLast()).reason());
            assertEquals(said, ids(toBob.stream().filter(m -> m instanceof ChatMessage).map(m -> (ChatMessage) m).toList()));

            // alice reconnects to the surviving node: her nick is hers again once the dead node's expired.
            try (TestClient alice = n2.connect()) {
                await().atMost(WITHIN).until(() -> {
                    String ref = alice.ref();
                    alice.send(new ClientMessage.Hello("alice", null, "tests", 1, ref));
                    return alice.readUntil(m -> ref.equals(m.ref())).getLast() instanceof ServerMessage.Welcome;
                });
                List<ChatMessage> replay = alice.join("#ops");
                assertEquals(said, ids(replay), "the room's history survived its node");
                assertTrue(whoIn(alice, "#ops").containsAll(List.of("alice", "bob")));
                ChatMessage after = alice.say("#ops", "back");
                assertEquals(after.id(), nextChat(bob).id());
            }
        }
    }

    @Test
    void redisKilledAndRestartedLosesNothingAcknowledged() throws Exception {
        try (TestRedis redis = TestRedis.start(temp, true);
             ClusterNode n1 = ClusterNode.start(redis.uri(), TTL, temp.resolve("n1.log"));
             ClusterNode n2 = ClusterNode.start(redis.uri(), TTL, temp.resolve("n2.log"));
             TestClient alice = n1.connect(); TestClient bob = n2.connect(); TestClient erin = n1.connect()) {
            alice.hello("alice");
            bob.hello("bob");
            erin.hello("erin");
            alice.join("#ha");
            bob.join("#ha");
            erin.join("#ha");
            TestClient dave = n2.connect();
            dave.hello("dave");
            dave.join("#ha");
            await().atMost(WITHIN).until(() -> whoIn(erin, "#ha"), nicks -> nicks.contains("dave"));
            List<ChatMessage> acknowledged = new ArrayList<>();
            AtomicReference<ServerMessage.Error> refused = new AtomicReference<>();
            Sender sender = new Sender(alice, acknowledged, refused);
            for (int i = 0; i < 5; i++) {
                assertTrue(sender.sayOne(), "Redis is up");
            }
            redis.kill();
            // While Redis is down, a send is refused with `unavailable`, not lost silently.
            await().atMost(WITHIN).until(() -> !sender.sayOne());
            assertEquals(ErrorCode.UNAVAILABLE, refused.get().code());
            // dave leaves while Redis is down: his node lets him go at once...
            dave.close();
            List<ChatMessage> bobs = new ArrayList<>(); // what bob receives while we ask his node
            await().atMost(WITHIN).until(() -> whoIn(bob, "#ha", bobs), nicks -> !nicks.contains("dave"));
            redis.startProcess();
            // ... and tells the other node once Redis is back.
            ServerMessage.Parted parted = (ServerMessage.Parted) erin.readUntil(
                    m -> m instanceof ServerMessage.Parted p && p.nick().equals("dave")).getLast();
            assertEquals(ServerMessage.Parted.REASON_DISCONNECT, parted.reason());
            // The node recovers by itself.
            await().atMost(WITHIN).until(sender::sayOne);
            for (int i = 0; i < 5; i++) {
                assertTrue(sender.sayOne(), "Redis is back");
            }
            // Every acknowledged message reached bob, in alice's order, and stays in the history.
            // (A say refused because Redis died between applying it and answering may be there
            // too: "unavailable" means "maybe not done", never "lost after acknowledging".)
            List<Long> ackedIds = ids(acknowledged);
            long lastAcked = ackedIds.getLast();
            while (bobs.isEmpty() || bobs.getLast().id() != lastAcked) {
                bobs.add(nextChat(bob));
            }
            assertInOrder(ackedIds, bobs);
            try (TestClient carol = n2.connect()) {
                carol.hello("carol");
                assertInOrder(ackedIds, carol.join("#ha"));
            }
        }
    }

    @Test
    void aNodeWithoutItsRedisOrWithABadAddressExitsWithAClearMessage() throws Exception {
        int nobody = TestRedis.freePort();
        String unreachable = ClusterNode.runToExit(temp.resolve("unreachable.log"), "--port", "0",
                "--cluster", "redis://127.0.0.1:" + nobody);
        assertTrue(unreachable.startsWith("1\n"), unreachable);
        assertTrue(unreachable.contains("cannot reach redis://127.0.0.1:" + nobody), unreachable);
        String bad = ClusterNode.runToExit(temp.resolve("bad.log"), "--port", "0", "--cluster", "http://x:1");
        assertTrue(bad.startsWith("2\n"), bad);
        assertTrue(bad.contains("cluster must be redis://HOST:PORT"), bad);
    }

    /** Says numbered lines one at a time, sorting each into acknowledged or refused. */
    private static final class Sender {
        private final TestClient client;
        private final List<ChatMessage> acknowledged;
        private final AtomicReference<ServerMessage.Error> refused;
        private int next;

        Sender(TestClient client, List<ChatMessage> acknowledged, AtomicReference<ServerMessage.Error> refused) {
            this.client = client;
            this.acknowledged = acknowledged;
            this.refused = refused;
        }

        /** True if acknowledged (own copy with the ref), false if refused (an error with the ref). */
        boolean sayOne() throws IOException {
            String ref = client.ref();
            client.send(new ClientMessage.Say("#ha", "line " + next++, ref));
            ServerMessage reply = client.readUntil(m -> ref.equals(m.ref())).getLast();
            if (reply instanceof ChatMessage own) {
                acknowledged.add(own);
                return true;
            }
            refused.set((ServerMessage.Error) reply);
            return false;
        }
    }

    /** {@code expected} appear in {@code seen} in that order; the rest of {@code seen} is alice's refused lines. */
    private static void assertInOrder(List<Long> expected, List<ChatMessage> seen) {
        List<Long> ids = ids(seen);
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) > ids.get(i - 1), () -> "ids out of order: " + ids);
        }
        assertTrue(ids.containsAll(expected), () -> "acknowledged " + expected + " but seen " + ids);
        for (ChatMessage message : seen) {
            assertTrue(message.from().equals("alice") && message.text().startsWith("line "), message::toString);
        }
    }

    private static List<String> whoIn(TestClient client, String room) throws IOException {
        return whoIn(client, room, new ArrayList<>());
    }

    /** The {@code who} of {@code room}; chat lines that arrive before the reply go to {@code chats}. */
    private static List<String> whoIn(TestClient client, String room, List<ChatMessage> chats) throws IOException {
        String ref = client.ref();
        client.send(new ClientMessage.Who(room, ref));
        List<ServerMessage> frames = client.readUntil(m -> ref.equals(m.ref()));
        frames.stream().filter(m -> m instanceof ChatMessage).forEach(m -> chats.add((ChatMessage) m));
        return ((ServerMessage.Who) frames.getLast()).nicks();
    }

    private static ChatMessage nextChat(TestClient client) throws IOException {
        return (ChatMessage) client.readUntil(m -> m instanceof ChatMessage).getLast();
    }

    /** Reads until {@code count} live chat lines arrived (skipping other frames). */
    private static List<ChatMessage> readMessages(TestClient client, int count) {
        List<ChatMessage> messages = new ArrayList<>();
        try {
            while (messages.size() < count) {
                messages.add(nextChat(client));
            }
        } catch (IOException e) {
            fail(client + " after " + messages.size() + " messages: " + e);
        }
        return messages;
    }

    private static List<Long> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }
}
