package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ServerMessage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real IRC clients from Debian's packages against the IRC door: irssi (in a tmux session of its
 * own, with a config in a temporary home) and WeeChat (weechat-headless with a temporary home,
 * driven through its FIFO), each connecting, joining a room, talking with a JSON-lines user and
 * with each other, changing nick, parting and quitting. The assertions read what each client
 * shows: irssi's screen and its channel log, WeeChat's channel and server logs (no error lines).
 * Skipped, with the reason, where a binary is missing ({@code .ci/setup} installs them).
 */
@Timeout(240)
class IrcRealClientsTest {

    private static final ConditionFactory CLIENT_WAIT = Awaitility.await().atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200));

    @TempDir
    Path temp;

    private ChatServer server;
    private int port;
    private final List<Runnable> cleanups = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = ChatServer.start(IrcServers.config().build());
        port = IrcServers.irc(server).getPort();
    }

    @AfterEach
    void stop() {
        for (Runnable cleanup : cleanups.reversed()) {
            cleanup.run();
        }
        server.close();
    }

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }

    private static void assumeInstalled(String binary) {
        assumeTrue(onPath(binary), binary + " is not installed (apt-get install "
                + (binary.equals("weechat-headless") ? "weechat-headless" : binary) + "; .ci/setup does it as root)");
        if (binary.equals("weechat-headless")) {
            // Debian ships WeeChat's fifo plugin, which the test drives it through, in weechat-plugins.
            assumeTrue(weechatFifoPlugin(), "WeeChat's fifo plugin is not installed (apt-get install weechat-plugins;"
                    + " .ci/setup does it as root)");
        }
    }

    private static boolean weechatFifoPlugin() {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib")) {
            if (Files.exists(Path.of(dir, "weechat", "plugins", "fifo.so"))) {
                return true;
            }
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("TMUX");
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish in 30 s: " + String.join(" ", command));
        }
    }

    // ---------------------------------------------------------------- irssi

    /** irssi in a tmux session of its own: typed into with send-keys, read with capture-pane and its log. */
    private final class Irssi {
        final String socket = "loomchat-irc-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final Path home;
        final Path log;

        Irssi(String nick) throws Exception {
            home = Files.createDirectories(temp.resolve("irssi-" + nick));
            log = home.resolve("logs/loom/#room.log");
            Files.writeString(home.resolve("config"), """
                    servers = ( { address = "127.0.0.1"; chatnet = "loom"; port = "%d"; autoconnect = "yes"; } );
                    chatnets = { loom = { type = "IRC"; }; };
                    channels = ( { name = "#room"; chatnet = "loom"; autojoin = "yes"; } );
                    settings = {
                      core = { real_name = "Irssi User"; user_name = "%s"; nick = "%s"; };
                      "fe-common/core" = { autolog = "yes"; autolog_path = "%s/logs/$tag/$0.log"; };
                    };
                    """.formatted(port, nick, nick, home));
            run("tmux", "-L", socket, "new-session", "-d", "-s", "irc", "-x", "200", "-y", "50",
                    "irssi --home=" + home);
            cleanups.add(() -> {
                try {
                    run("tmux", "-L", socket, "kill-server");
                } catch (Exception e) {
                    // already gone: irssi quit, and tmux with it
                }
            });
        }

        /** Waits until irssi has joined #room (its log exists) and makes #room its active window. */
        void awaitRoom() throws Exception {
            CLIENT_WAIT.alias("irssi joins #room; screen:\n" + screen()).until(() -> Files.exists(log));
            type("/window goto #room");
        }

        void type(String line) throws Exception {
            run("tmux", "-L", socket, "send-keys", "-t", "irc", "-l", line);
            run("tmux", "-L", socket, "send-keys", "-t", "irc", "Enter");
        }

        String screen() {
            try {
                ProcessBuilder builder = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-t", "irc");
                builder.environment().remove("TMUX");
                Process process = builder.redirectErrorStream(true).start();
                String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                process.waitFor(10, TimeUnit.SECONDS);
                return text;
            } catch (IOException | InterruptedException e) {
                return "";
            }
        }

        boolean running() throws Exception {
            ProcessBuilder builder = new ProcessBuilder("tmux", "-L", socket, "has-session", "-t", "irc");
            builder.environment().remove("TMUX");
            Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(10, TimeUnit.SECONDS);
            return process.exitValue() == 0;
        }

        void awaitLog(String text) {
            CLIENT_WAIT.alias("irssi's #room log shows \"" + text + "\"; it has:\n" + read(log) + "\nscreen:\n"
                    + screen()).until(() -> read(log).contains(text));
        }
    }

    // ---------------------------------------------------------------- WeeChat

    /** weechat-headless with its own home, driven through its FIFO, read through its logs. */
    private final class WeeChat {
        final Path home;
        final Process process;
        final Path channelLog;
        final Path serverLog;

        WeeChat(String nick) throws Exception {
            home = Files.createDirectories(temp.resolve("weechat-" + nick));
            channelLog = home.resolve("logs/irc.loom.#room.weechatlog");
            serverLog = home.resolve("logs/irc.server.loom.weechatlog");
            String commands = String.join("; ", "/set logger.file.flush_delay 0",
                    "/server add loom 127.0.0.1/" + port + " -notls", "/set irc.server.loom.nicks " + nick,
                    "/set irc.server.loom.username " + nick, "/set irc.server.loom.realname WeeChat_User",
                    "/set irc.server.loom.autojoin #room", "/connect loom");
            process = new ProcessBuilder("weechat-headless", "-d", home.toString(), "-r", commands)
                    .redirectErrorStream(true).redirectOutput(home.resolve("stdout.log").toFile()).start();
            cleanups.add(() -> TestProcesses.stop(process, Duration.ofSeconds(10)));
        }

        /** A line for WeeChat's FIFO: {@code BUFFER *TEXT} (text or a /command, as typed into that buffer). */
        void fifo(String buffer, String text) throws Exception {
            Path fifo = home.resolve("weechat_fifo_" + process.pid());
            CLIENT_WAIT.alias("WeeChat's FIFO " + fifo).until(() -> Files.exists(fifo));
            Files.writeString(fifo, buffer + " *" + text + "\n", StandardCharsets.UTF_8);
        }

        void say(String text) throws Exception {
            fifo("irc.loom.#room", text);
        }

        void awaitLog(String text) {
            CLIENT_WAIT.alias("WeeChat's #room log shows \"" + text + "\"; it has:\n" + read(channelLog))
                    .until(() -> read(channelLog).contains(text));
        }

        /** WeeChat marks what it finds wrong with "=!=": the server must never make it say that. */
        void assertNoErrors() {
            String errors = read(serverLog).lines().filter(line -> line.contains("=!=")).reduce("", (a, b) -> a + b + "\n");
            assertEquals("", errors, "WeeChat's server buffer has errors");
        }
    }

    // ---------------------------------------------------------------- the tests

    private TestClient jsonUserIn(String room) throws IOException {
        TestClient json = TestClient.welcomed(server, "jason");
        cleanups.add(() -> {
            try {
                json.close();
            } catch (IOException e) {
                // closed
            }
        });
        json.join(room);
        return json;
    }

    private static ServerMessage awaitFrom(TestClient json, String nick, Class<? extends ServerMessage> type)
            throws IOException {
        while (true) {
            ServerMessage message = json.next();
            if (type.isInstance(message) && switch (message) {
                case ServerMessage.Joined joined -> joined.nick().equals(nick);
                case ServerMessage.ChatMessage chat -> chat.from().equals(nick);
                case ServerMessage.Nick renamed -> renamed.old().equals(nick);
                case ServerMessage.Parted parted -> parted.nick().equals(nick);
                default -> false;
            }) {
                return message;
            }
        }
    }

    @Test
    void irssiChatsWithAJsonUserChangesNickPartsAndQuits() throws Exception {
        assumeInstalled("tmux");
        assumeInstalled("irssi");
        TestClient json = jsonUserIn("#room");
        Irssi irssi = new Irssi("irssiuser");

        awaitFrom(json, "irssiuser", ServerMessage.Joined.class);
        irssi.awaitRoom();
        json.say("#room", "hello irssi, from json");
        irssi.awaitLog("jason> hello irssi, from json");
        CLIENT_WAIT.until(() -> irssi.screen().contains("hello irssi, from json"));

        irssi.type("hello json, from irssi");
        assertEquals("hello json, from irssi",
                ((ServerMessage.ChatMessage) awaitFrom(json, "irssiuser", ServerMessage.ChatMessage.class)).text());
        irssi.type("/me waves");
        assertEquals("/me waves",
                ((ServerMessage.ChatMessage) awaitFrom(json, "irssiuser", ServerMessage.ChatMessage.class)).text());
        json.say("#room", "/me waves back");
        irssi.awaitLog("* jason waves back");

        irssi.type("/nick irssi2");
        assertEquals("irssi2", ((ServerMessage.Nick) awaitFrom(json, "irssiuser", ServerMessage.Nick.class)).nick());
        json.send(new ClientMessage.Nick("jay", json.ref()));
        irssi.awaitLog("jason is now known as jay");

        irssi.type("/part #room");
        assertEquals("part", ((ServerMessage.Parted) awaitFrom(json, "irssi2", ServerMessage.Parted.class)).reason());
        irssi.type("/quit");
        CLIENT_WAIT.alias("irssi exits on /quit").until(() -> !irssi.running());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() == 1);
    }

    @Test
    void weechatChatsWithAJsonUserChangesNickPartsAndQuits() throws Exception {
        assumeInstalled("weechat-headless");
        TestClient json = jsonUserIn("#room");
        WeeChat wee = new WeeChat("wee");

        awaitFrom(json, "wee", ServerMessage.Joined.class);
        json.say("#room", "hello weechat, from json");
        wee.awaitLog("jason\thello weechat, from json");

        wee.say("hello json, from weechat");
        assertEquals("hello json, from weechat",
                ((ServerMessage.ChatMessage) awaitFrom(json, "wee", ServerMessage.ChatMessage.class)).text());
        wee.say("/me waves");
        assertEquals("/me waves", ((ServerMessage.ChatMessage) awaitFrom(json, "wee", ServerMessage.ChatMessage.class)).text());
        json.say("#room", "/me waves back");
        wee.awaitLog("jason waves back");

        wee.fifo("irc.server.loom", "/nick wee2");
        assertEquals("wee2", ((ServerMessage.Nick) awaitFrom(json, "wee", ServerMessage.Nick.class)).nick());
        wee.awaitLog("You are now known as wee2");

        wee.say("/part #room");
        assertEquals("part", ((ServerMessage.Parted) awaitFrom(json, "wee2", ServerMessage.Parted.class)).reason());
        wee.fifo("irc.server.loom", "/quit");
        CLIENT_WAIT.alias("WeeChat exits on /quit").until(() -> !wee.process.isAlive());
        wee.assertNoErrors();
    }

    @Test
    void irssiAndWeechatTalkToEachOtherThroughLoomchat() throws Exception {
        assumeInstalled("tmux");
        assumeInstalled("irssi");
        assumeInstalled("weechat-headless");
        TestClient json = jsonUserIn("#room");
        Irssi irssi = new Irssi("irssiuser");
        awaitFrom(json, "irssiuser", ServerMessage.Joined.class);
        irssi.awaitRoom();
        WeeChat wee = new WeeChat("wee");
        awaitFrom(json, "wee", ServerMessage.Joined.class);

        irssi.type("hi wee, irssi here");
        wee.awaitLog("irssiuser\thi wee, irssi here");
        wee.say("hi irssi, weechat here");
        irssi.awaitLog("wee> hi irssi, weechat here");

        wee.fifo("irc.server.loom", "/nick wee2");
        irssi.awaitLog("wee is now known as wee2");
        irssi.type("/nick irssi2");
        wee.awaitLog("irssiuser is now known as irssi2");
        irssi.type("/msg wee2 a private word");
        CLIENT_WAIT.alias("WeeChat's private buffer").until(() -> read(wee.home.resolve("logs/irc.loom.irssi2.weechatlog"))
                .contains("a private word"));

        wee.say("/part #room");
        irssi.awaitLog("wee2 [chat@loomchat] has left #room");
        irssi.type("/quit");
        wee.fifo("irc.server.loom", "/quit");
        CLIENT_WAIT.until(() -> !irssi.running() && !wee.process.isAlive());
        wee.assertNoErrors();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.connectionCount() == 1);
    }
}
