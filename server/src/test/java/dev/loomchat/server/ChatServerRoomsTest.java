package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.RoomInfo;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rooms, say, msg, who, rooms and the errors around them (PROTOCOL.md §5-§7). */
@Timeout(60)
class ChatServerRoomsTest {

    @Test
    void joinCreatesTheRoomAndAnnouncesTheJoinerToTheOtherMembers() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.send(new ClientMessage.Join("#General", "j1"));
            ServerMessage.Joined own = alice.next(ServerMessage.Joined.class);
            assertEquals(new ServerMessage.Joined("#General", "alice", own.ts(), "j1"), own);
            assertEquals(new ServerMessage.History("#General", 0, "j1"), alice.next(ServerMessage.History.class));

            bob.send(new ClientMessage.Join("#general", "j2"));   // same room, any case

            ServerMessage.Joined bobsOwn = bob.next(ServerMessage.Joined.class);
            assertEquals(new ServerMessage.Joined("#General", "bob", bobsOwn.ts(), "j2"), bobsOwn,
                    "the room keeps its creator's spelling");
            bob.next(ServerMessage.History.class);
            assertEquals(new ServerMessage.Joined("#General", "bob", bobsOwn.ts(), null),
                    alice.next(ServerMessage.Joined.class));
            assertEquals(List.of(), alice.sync());
        }
    }

    @Test
    void partIsAnnouncedToEveryMemberIncludingTheLeaverWhoThenHearsNothingMoreFromTheRoom() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#r");
            bob.join("#r");
            alice.next(ServerMessage.Joined.class);

            bob.send(new ClientMessage.Part("#R", "p"));

            ServerMessage.Parted own = bob.next(ServerMessage.Parted.class);
            assertEquals(new ServerMessage.Parted("#r", "bob", "part", own.ts(), "p"), own);
            assertEquals(new ServerMessage.Parted("#r", "bob", "part", own.ts(), null),
                    alice.next(ServerMessage.Parted.class));
            alice.say("#r", "bob cannot hear this");
            assertEquals(List.of(), bob.sync());
            bob.send(new ClientMessage.Say("#r", "hello?", "s"));
            bob.nextError(ErrorCode.NOT_IN_ROOM, "s");
        }
    }

    @Test
    void theLastMemberLeavingDiscardsTheRoomAndItsHistory() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.join("#temp");
            alice.say("#temp", "forgotten");
            alice.send(new ClientMessage.Part("#temp", "p"));
            alice.next(ServerMessage.Parted.class);

            assertEquals(List.of(), alice.join("#TEMP"));

            alice.send(new ClientMessage.Rooms("r"));
            assertEquals(List.of(new RoomInfo("#TEMP", 1)), alice.next(ServerMessage.Rooms.class).rooms());
        }
    }

    @Test
    void sayGoesToEveryMemberIncludingTheSenderWhoseCopyCarriesTheRef() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob");
             TestClient carol = TestClient.welcomed(server, "carol");
             TestClient outsider = TestClient.welcomed(server, "outsider")) {
            alice.join("#r");
            bob.join("#r");
            carol.join("#r");
            alice.readUntil(m -> m instanceof ServerMessage.Joined joined && joined.nick().equals("carol"));
            bob.readUntil(m -> m instanceof ServerMessage.Joined joined && joined.nick().equals("carol"));
            long before = System.currentTimeMillis();

            alice.send(new ClientMessage.Say("#r", "hi all\tand tabs", "s1"));
            alice.send(new ClientMessage.Say("#r", "second", "s2"));

            ChatMessage first = alice.next(ChatMessage.class);
            ChatMessage second = alice.next(ChatMessage.class);
            long after = System.currentTimeMillis();
            assertEquals("s1", first.ref());
            assertEquals("s2", second.ref());
            assertEquals("alice", first.from());
            assertEquals("#r", first.room());
            assertNull(first.to());
            assertEquals("hi all\tand tabs", first.text());
            assertTrue(second.id() > first.id(), "ids increase");
            assertTrue(first.ts() >= before && second.ts() <= after, "ts is the server's clock in ms");
            for (TestClient member : List.of(bob, carol)) {
                assertEquals(first.withRef(null), member.next(ChatMessage.class));
                assertEquals(second.withRef(null), member.next(ChatMessage.class));
            }
            assertEquals(List.of(), outsider.sync());
        }
    }

    @Test
    void fromIdAndTsInASayCannotBeForged() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#r");
            bob.join("#r");
            ChatMessage earlier = alice.say("#r", "earlier");
            bob.next(ChatMessage.class);

            alice.sendLine("{\"type\":\"say\",\"room\":\"#r\",\"text\":\"forged?\",\"from\":\"bob\","
                    + "\"id\":1,\"ts\":5,\"replay\":true,\"to\":\"carol\",\"ref\":\"f\"}");

            ChatMessage own = alice.next(ChatMessage.class);
            ChatMessage seen = bob.next(ChatMessage.class);
            for (ChatMessage message : List.of(own, seen)) {
                assertEquals("alice", message.from());
                assertEquals(earlier.id() + 1, message.id());
                assertTrue(message.ts() >= earlier.ts(), () -> "ts " + message.ts());
                assertEquals(false, message.replay());
                assertNull(message.to());
                assertEquals("forged?", message.text());
            }
            assertEquals("f", own.ref());
            assertNull(seen.ref());
        }
    }

    @Test
    void badTextIsRefused() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.join("#r");
            for (String text : List.of("", "line\nbreak", "bell\u0007", "x".repeat(4001))) {
                String ref = alice.ref();
                alice.send(new ClientMessage.Say("#r", text, ref));
                alice.nextError(ErrorCode.BAD_TEXT, ref);
                String msgRef = alice.ref();
                alice.send(new ClientMessage.Msg("alice", text, msgRef));
                alice.nextError(ErrorCode.BAD_TEXT, msgRef);
            }
            assertEquals(4000, alice.say("#r", "\uD83D\uDE00".repeat(4000)).text().codePointCount(0, 8000),
                    "4000 code points (8000 UTF-16 units) are allowed");
        }
    }

    @Test
    void msgGoesToOneNickInAnyCaseWithACopyToTheSender() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "Bob");
             TestClient carol = TestClient.welcomed(server, "carol")) {
            alice.send(new ClientMessage.Msg("BOB", "psst", "m"));

            ChatMessage copy = alice.next(ChatMessage.class);
            assertEquals("m", copy.ref());
            assertEquals("alice", copy.from());
            assertEquals("Bob", copy.to(), "addressed with the recipient's own spelling");
            assertNull(copy.room());
            assertEquals(copy.withRef(null), bob.next(ChatMessage.class));
            assertEquals(List.of(), carol.sync());

            alice.send(new ClientMessage.Msg("alice", "note to self", "self"));
            ChatMessage self = alice.next(ChatMessage.class);
            assertEquals("self", self.ref());
            assertEquals(List.of(), alice.sync(), "a message to oneself arrives once");
        }
    }

    @Test
    void msgToAnUnknownNickGetsNoSuchNick() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.send(new ClientMessage.Msg("nobody", "hello?", "m"));
            alice.nextError(ErrorCode.NO_SUCH_NICK, "m");
            alice.send(new ClientMessage.Msg("not a nick!", "hello?", "m2"));
            alice.nextError(ErrorCode.NO_SUCH_NICK, "m2");
        }
    }

    @Test
    void whoListsTheMembersIncludingTheRequester() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob");
             TestClient carol = TestClient.welcomed(server, "carol")) {
            alice.join("#r");
            bob.join("#r");
            carol.join("#other");

            alice.send(new ClientMessage.Who("#R", "w"));

            ServerMessage.Who who = alice.await(ServerMessage.Who.class);
            assertEquals("w", who.ref());
            assertEquals("#r", who.room());
            assertEquals(List.of("alice", "bob"), who.nicks().stream().sorted().toList());
            carol.send(new ClientMessage.Who("#r", "w2"));
            carol.nextError(ErrorCode.NOT_IN_ROOM, "w2");
        }
    }

    @Test
    void roomsListsEveryRoomWithMembersMostMembersFirstThenByName() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient a = TestClient.welcomed(server, "a");
             TestClient b = TestClient.welcomed(server, "b");
             TestClient c = TestClient.welcomed(server, "c")) {
            for (TestClient client : List.of(a, b, c)) {
                client.join("#big");
            }
            a.join("#mid");
            b.join("#mid");
            c.join("#b-small");
            c.join("#a-small");
            a.join("#gone");
            a.send(new ClientMessage.Part("#gone", "p"));
            a.await(ServerMessage.Parted.class);

            c.send(new ClientMessage.Rooms("r"));

            ServerMessage.Rooms rooms = c.await(ServerMessage.Rooms.class);
            assertEquals("r", rooms.ref());
            assertEquals(List.of(new RoomInfo("#big", 3), new RoomInfo("#mid", 2), new RoomInfo("#a-small", 1),
                    new RoomInfo("#b-small", 1)), rooms.rooms());
        }
    }

    @Test
    void joinBeyondMaxRoomsGetsTooManyRooms() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().maxRooms(2).build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.join("#one");
            alice.join("#two");

            alice.send(new ClientMessage.Join("#three", "j"));

            alice.nextError(ErrorCode.TOO_MANY_ROOMS, "j");
            alice.send(new ClientMessage.Part("#one", "p"));
            alice.next(ServerMessage.Parted.class);
            alice.join("#three");
        }
    }

    @Test
    void joiningARoomTwiceInAnyCaseGetsAlreadyInRoom() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.join("#room");

            alice.send(new ClientMessage.Join("#ROOM", "j"));

            alice.nextError(ErrorCode.ALREADY_IN_ROOM, "j");
        }
    }

    @Test
    void requestsForARoomOneIsNotInGetNotInRoomAndInvalidRoomNamesGetBadRoom() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            bob.join("#bobs");
            List<ClientMessage> notIn = List.of(new ClientMessage.Part("#bobs", "1"), new ClientMessage.Say("#bobs", "x", "2"),
                    new ClientMessage.Who("#bobs", "3"), new ClientMessage.History("#bobs", null, "4"),
                    new ClientMessage.Part("#nowhere", "5"));
            for (ClientMessage request : notIn) {
                alice.send(request);
                alice.nextError(ErrorCode.NOT_IN_ROOM, request.ref());
            }
            List<String> badNames = List.of("nohash", "#", "#has space", "#" + "x".repeat(50), "#ü");
            for (String name : badNames) {
                for (ClientMessage request : List.of(new ClientMessage.Join(name, "j"), new ClientMessage.Part(name, "p"),
                        new ClientMessage.Say(name, "x", "s"), new ClientMessage.Who(name, "w"))) {
                    alice.send(request);
                    alice.nextError(ErrorCode.BAD_ROOM, request.ref());
                }
            }
            assertEquals(List.of(), bob.sync());
            alice.join("#" + "x".repeat(49));   // 50 characters in all is the limit
        }
    }

    @Test
    void joinReplaysTheRecentHistoryOldestFirstThenLiveMessagesWithLargerIds() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().historyLength(5).build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#h");
            List<ChatMessage> said = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                said.add(alice.say("#h", "m" + i));
            }
            bob.send(new ClientMessage.Msg("alice", "private: not history", "pm"));
            bob.next(ChatMessage.class);

            List<ChatMessage> replayed = bob.join("#h");

            assertEquals(List.of("m4", "m5", "m6", "m7", "m8"), replayed.stream().map(ChatMessage::text).toList());
            for (int i = 0; i < 5; i++) {
                assertEquals(said.get(3 + i).asReplay(replayed.get(i).ref()), replayed.get(i),
                        "a replay keeps the original id and ts");
            }
            ChatMessage live = alice.say("#h", "live");
            ChatMessage bobsLive = bob.next(ChatMessage.class);
            assertEquals(live.withRef(null), bobsLive);
            assertTrue(bobsLive.id() > replayed.getLast().id());
        }
    }

    @Test
    void historyRequestReplaysUpToLimitAndHistoryLengthAndRejectsLimitBelowOne() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().historyLength(5).build());
             TestClient alice = TestClient.welcomed(server, "alice")) {
            alice.join("#h");
            for (int i = 1; i <= 7; i++) {
                alice.say("#h", "m" + i);
            }

            alice.send(new ClientMessage.History("#h", 2, "two"));
            assertEquals(List.of("m6", "m7"), alice.readReplay("two", "#h").stream().map(ChatMessage::text).toList());
            alice.send(new ClientMessage.History("#H", 100, "many"));
            assertEquals(5, alice.readReplay("many", "#h").size(), "bounded by historyLength");
            alice.send(new ClientMessage.History("#h", null, "all"));
            assertEquals(List.of("m3", "m4", "m5", "m6", "m7"),
                    alice.readReplay("all", "#h").stream().map(ChatMessage::text).toList());
            alice.send(new ClientMessage.History("#h", 0, "zero"));
            alice.nextError(ErrorCode.BAD_REQUEST, "zero");
            alice.send(new ClientMessage.History("#h", -3, "neg"));
            alice.nextError(ErrorCode.BAD_REQUEST, "neg");
        }
    }

    @Test
    void aReplayOfLongMessagesIsTheNewestThatFitInReplayBytesAndNeverDropsTheJoiner() throws Exception {
        // Default limits: 100 messages of 4000 three-byte characters are 1.2 MB of history; a
        // replay carries at most replayBytes (256 KiB) of it, the newest messages.
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#cjk");
            String text = "\u5b57".repeat(dev.loomchat.protocol.ContentRules.MAX_TEXT_CODE_POINTS);
            for (int i = 0; i < ChatConfig.DEFAULT_HISTORY_LENGTH; i++) {
                alice.send(new ClientMessage.Say("#cjk", text));
            }
            List<ChatMessage> said = new ArrayList<>();
            for (int i = 0; i < ChatConfig.DEFAULT_HISTORY_LENGTH; i++) {
                said.add(alice.next(ChatMessage.class));
            }

            List<ChatMessage> replayed = bob.join("#cjk");

            long replayBytes = replayed.stream().mapToLong(message -> Frame.of(message).length()).sum();
            long frameBytes = Frame.of(replayed.getLast()).length();
            assertTrue(replayBytes <= ChatConfig.DEFAULT_REPLAY_BYTES && replayBytes + frameBytes > ChatConfig.DEFAULT_REPLAY_BYTES,
                    "as many as fit in " + ChatConfig.DEFAULT_REPLAY_BYTES + " bytes: " + replayed.size());
            int fit = replayed.size();
            assertEquals(said.subList(said.size() - fit, said.size()).stream().map(ChatMessage::id).toList(),
                    replayed.stream().map(ChatMessage::id).toList(), "the newest, oldest first");
            for (int round = 0; round < 3; round++) {
                bob.send(new ClientMessage.History("#cjk", null, "h" + round));
                assertEquals(fit, bob.readReplay("h" + round, "#cjk").size());
            }
            assertEquals(0, server.stats().get("slowConsumers"));
        }
    }


    @Test
    void historyLengthZeroKeepsNothing() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().historyLength(0).build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#h");
            alice.say("#h", "gone at once");

            assertEquals(List.of(), bob.join("#h"));
            alice.next(ServerMessage.Joined.class);
            alice.send(new ClientMessage.History("#h", 10, "h"));
            assertEquals(List.of(), alice.readReplay("h", "#h"));
        }
    }

    @Test
    void aJoinDuringAFloodOfMessagesSeesEachMessageExactlyOnceEitherReplayedOrLive() throws Exception {
        int messages = 400;
        try (ChatServer server = ChatServer.start(TestServers.config().historyLength(messages).build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            alice.join("#race");
            alice.say("#race", "0");
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 1; i < messages; i++) {
                        alice.send(new ClientMessage.Say("#race", Integer.toString(i)));
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                List<ChatMessage> seen = new ArrayList<>(bob.join("#race"));
                int replayed = seen.size();
                assertTrue(replayed >= 1);
                while (!seen.getLast().text().equals(Integer.toString(messages - 1))) {
                    ChatMessage live = bob.next(ChatMessage.class);
                    assertEquals(false, live.replay());
                    seen.add(live);
                }
                for (int i = 0; i < seen.size(); i++) {
                    assertEquals(Integer.toString(i), seen.get(i).text(), "nothing lost, nothing twice, in order");
                    if (i > 0) {
                        assertTrue(seen.get(i).id() > seen.get(i - 1).id());
                    }
                }
            } finally {
                sender.join();
            }
        }
    }

    @Test
    void roomsAreListedByMembersThenByNameIgnoringCase() throws Exception {
        try (ChatServer server = ChatServer.start(TestServers.config().build());
             TestClient alice = TestClient.welcomed(server, "alice");
             TestClient bob = TestClient.welcomed(server, "bob")) {
            for (String room : List.of("#b", "#A", "#C", "#busy")) {
                alice.join(room);
            }
            bob.join("#busy");
            alice.send(new ClientMessage.Rooms("r"));

            assertEquals(List.of(new RoomInfo("#busy", 2), new RoomInfo("#A", 1), new RoomInfo("#b", 1),
                    new RoomInfo("#C", 1)), alice.await(ServerMessage.Rooms.class).rooms());
        }
    }
}
