package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Topics, room operators and room modes over the JSON-lines door (PROTOCOL.md: topic, mode, kick, invite). */
@Timeout(60)
class ChatServerModerationTest {

    private ChatServer server;

    @BeforeEach
    void start() throws Exception {
        server = ChatServer.start(TestServers.config().build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theFirstMemberIsOperatorSetsTheTopicAndJoinersGetIt() throws Exception {
        try (TestClient ann = TestClient.welcomed(server, "ann");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            ann.join("#r");
            ann.send(new ClientMessage.Topic("#r", "release on friday", ann.ref()));
            ServerMessage.Topic set = ann.await(ServerMessage.Topic.class);
            assertEquals(List.of("release on friday", "ann"), List.of(set.text(), set.nick()));

            String ref = bob.ref();
            bob.send(new ClientMessage.Join("#r", ref));
            assertEquals(ref, bob.next(ServerMessage.Joined.class).ref());
            ServerMessage.Topic shown = bob.next(ServerMessage.Topic.class);
            assertEquals(List.of("release on friday", "ann", ref), List.of(shown.text(), shown.nick(), shown.ref()));
            bob.next(ServerMessage.History.class);

            bob.send(new ClientMessage.Who("#r", bob.ref()));
            ServerMessage.Who who = bob.await(ServerMessage.Who.class);
            assertEquals(List.of("ann"), who.ops());

            // +t (a new room's default): bob is not an operator.
            String refused = bob.ref();
            bob.send(new ClientMessage.Topic("#r", "mine now", refused));
            bob.nextError(ErrorCode.NOT_OPERATOR, refused);
            bob.send(new ClientMessage.Topic("#r", null, bob.ref()));
            assertEquals("release on friday", bob.next(ServerMessage.Topic.class).text());
        }
    }

    @Test
    void operatorsGiveOperatorKickAndSetModesThatJoinsObey() throws Exception {
        try (TestClient ann = TestClient.welcomed(server, "ann");
             TestClient bob = TestClient.welcomed(server, "bob");
             TestClient cy = TestClient.welcomed(server, "cy")) {
            ann.join("#r");
            bob.join("#r");
            ann.send(new ClientMessage.Mode("#r", "+o bob", ann.ref()));
            ServerMessage.Mode given = bob.await(ServerMessage.Mode.class);
            assertEquals(List.of("+o bob", "ann"), List.of(given.modes(), given.nick()));
            ann.await(ServerMessage.Mode.class);

            bob.send(new ClientMessage.Mode("#r", "+kl sesame 2", bob.ref()));
            assertEquals("+kl sesame 2", ann.await(ServerMessage.Mode.class).modes());
            String asked = bob.ref();
            bob.send(new ClientMessage.Mode("#r", null, asked));
            assertEquals("+ntkl sesame 2", reply(bob, ServerMessage.Mode.class, asked).modes());

            String ref = cy.ref();
            cy.send(new ClientMessage.Join("#r", "wrong", ref));
            cy.nextError(ErrorCode.BAD_KEY, ref);
            ref = cy.ref();
            cy.send(new ClientMessage.Join("#r", "sesame", ref));
            cy.nextError(ErrorCode.ROOM_FULL, ref);

            bob.send(new ClientMessage.Mode("#r", "-l+b cy!*@*", bob.ref()));
            assertEquals("+b-l cy!*@*", ann.await(ServerMessage.Mode.class).modes());
            ref = cy.ref();
            cy.send(new ClientMessage.Join("#r", "sesame", ref));
            cy.nextError(ErrorCode.BANNED, ref);

            ann.send(new ClientMessage.Kick("#r", "BOB", "enough", ann.ref()));
            ServerMessage.Kicked kicked = bob.await(ServerMessage.Kicked.class);
            assertEquals(List.of("bob", "ann", "enough"), List.of(kicked.nick(), kicked.by(), kicked.message()));
            ann.await(ServerMessage.Kicked.class);
            ref = bob.ref();
            bob.send(new ClientMessage.Say("#r", "still here?", ref));
            bob.nextError(ErrorCode.NOT_IN_ROOM, ref);
            ann.send(new ClientMessage.Who("#r", ann.ref()));
            assertEquals(List.of("ann"), ann.await(ServerMessage.Who.class).nicks());
        }
    }

    @Test
    void moderatedInviteOnlyAndNonOperatorsRefused() throws Exception {
        try (TestClient ann = TestClient.welcomed(server, "ann");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            ann.join("#r");
            ann.send(new ClientMessage.Mode("#r", "+i", ann.ref()));
            ann.await(ServerMessage.Mode.class);
            String ref = bob.ref();
            bob.send(new ClientMessage.Join("#r", ref));
            bob.nextError(ErrorCode.INVITE_ONLY, ref);
            ann.send(new ClientMessage.Invite("#r", "bob", ann.ref()));
            assertEquals("ann", bob.next(ServerMessage.Invited.class).by());
            bob.join("#r");

            ann.send(new ClientMessage.Mode("#r", "+m", ann.ref()));
            bob.await(ServerMessage.Mode.class);
            ref = bob.ref();
            bob.send(new ClientMessage.Say("#r", "hello?", ref));
            bob.nextError(ErrorCode.CANNOT_SEND, ref);
            ann.send(new ClientMessage.Mode("#r", "+v bob", ann.ref()));
            bob.await(ServerMessage.Mode.class);
            assertEquals("hello!", bob.say("#r", "hello!").text());

            for (String change : List.of("-m", "+o bob", "+b x!*@*")) {
                ref = bob.ref();
                bob.send(new ClientMessage.Mode("#r", change, ref));
                bob.nextError(ErrorCode.NOT_OPERATOR, ref);
            }
            ref = bob.ref();
            bob.send(new ClientMessage.Kick("#r", "ann", null, ref));
            bob.nextError(ErrorCode.NOT_OPERATOR, ref);
            ref = ann.ref();
            ann.send(new ClientMessage.Mode("#r", "+x", ref));
            ServerMessage.Error unknown = ann.await(ServerMessage.Error.class);
            assertEquals(List.of(ErrorCode.UNKNOWN_MODE, ref), List.of(unknown.code(), unknown.ref()));
        }
    }

    @Test
    void partAndQuitMessagesReachTheOthersAndNoticesAreMarked() throws Exception {
        try (TestClient ann = TestClient.welcomed(server, "ann");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            ann.join("#r");
            bob.join("#r");
            bob.send(new ClientMessage.Say("#r", "fyi", true, bob.ref()));
            ServerMessage.ChatMessage notice = ann.await(ServerMessage.ChatMessage.class);
            assertEquals(List.of("fyi", true), List.of(notice.text(), notice.notice()));
            assertFalse(bob.say("#r", "plain").notice());
            assertFalse(ann.await(ServerMessage.ChatMessage.class).notice());

            bob.send(new ClientMessage.Part("#r", "lunch", bob.ref()));
            ServerMessage.Parted parted = ann.await(ServerMessage.Parted.class);
            assertEquals(List.of("part", "lunch"), List.of(parted.reason(), parted.message()));
            bob.join("#r");
            bob.send(new ClientMessage.Quit("see you", bob.ref()));
            parted = ann.await(ServerMessage.Parted.class);
            assertEquals(List.of("quit", "see you"), List.of(parted.reason(), parted.message()));
        }
    }

    @Test
    void theOperatorLeavingLeavesNoOperatorAndAnEmptiedRoomStartsAfresh() throws Exception {
        try (TestClient ann = TestClient.welcomed(server, "ann");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            ann.join("#r");
            ann.send(new ClientMessage.Topic("#r", "old", ann.ref()));
            ann.await(ServerMessage.Topic.class);
            ann.send(new ClientMessage.Part("#r", ann.ref()));
            ann.await(ServerMessage.Parted.class);
            bob.join("#r"); // a fresh room (no topic frame before the replay): bob created it
            bob.send(new ClientMessage.Topic("#r", null, bob.ref()));
            ServerMessage.Topic none = bob.next(ServerMessage.Topic.class);
            assertEquals("", none.text());
            assertNull(none.nick());
            bob.send(new ClientMessage.Who("#r", bob.ref()));
            assertEquals(List.of("bob"), bob.await(ServerMessage.Who.class).ops());
        }
    }

    /** The next {@code type} with {@code ref}, other frames skipped. */
    private static <T extends ServerMessage> T reply(TestClient client, Class<T> type, String ref) throws Exception {
        while (true) {
            T message = client.await(type);
            if (ref.equals(message.ref())) {
                return message;
            }
        }
    }
}
