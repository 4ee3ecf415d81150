package dev.loomchat.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: parsing, defaults, and exit status 2 with one line for bad options. */
class ChatClientMainOptionsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        var io = ClientIo.piped(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return ChatClientMain.run(args, io);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static ClientConfig config(Map<String, String> env, String... args) {
        var options = new ChatClientMain.Options();
        new picocli.CommandLine(options).parseArgs(args);
        return options.toConfig(env, Backoff.DEFAULT);
    }

    @Test
    void badOptionsGiveOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"--bogus"}, new String[] {"--port", "x"},
                new String[] {"--port", "0"}, new String[] {"--nick", "9lives"}, new String[] {"--room", "#bad room"},
                new String[] {"--host", "h:notaport"}, new String[] {"extra"})) {
            err.reset();
            assertEquals(2, run(Map.of(), args), String.join(" ", args));
            assertEquals(1, err().lines().count(), err());
            assertTrue(err().startsWith("loomchat client: "), err());
        }
    }

    @Test
    void helpAndVersion() {
        assertEquals(0, run(Map.of(), "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--host", "--port", "--unix", "--nick", "--room", "--password", "--account-password", "--json", "--no-color",
                "--ping-after", "--ping-timeout")) {
            assertTrue(help.contains(option), option);
        }
        out.reset();
        assertEquals(0, run(Map.of(), "--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("loomchat client "));
    }

    @Test
    void defaults() {
        var config = config(Map.of("USER", "alice"));
        assertEquals(List.of(new HostPort("127.0.0.1", 9999)), config.servers());
        assertEquals("alice", config.nick());
        assertEquals(List.of(), config.rooms());
        assertEquals(null, config.password());
        assertTrue(config.reconnect());
    }

    @Test
    void hostsRoomsAndPassword() {
        var config = config(Map.of("LOOMCHAT_PASSWORD", "from-env"), "--host", "a,b:7000", "--host", "c",
                "--port", "6000", "--room", "java", "--room", "#x,#y", "--nick", "bob");
        assertEquals(List.of(new HostPort("a", 6000), new HostPort("b", 7000), new HostPort("c", 6000)), config.servers());
        assertEquals(List.of("#java", "#x", "#y"), config.rooms());
        assertEquals("from-env", config.password());
        assertEquals("given", config(Map.of("LOOMCHAT_PASSWORD", "from-env"), "--password", "given").password());
    }

    @Test
    void unixSocketAloneOrWithTcpFallbacks() {
        assertEquals(List.of(new UnixPath(Path.of("/run/chat.sock"))), config(Map.of(), "--unix", "/run/chat.sock").servers());
        assertEquals(List.of(new UnixPath(Path.of("/run/chat.sock")), new HostPort("a", 9999)),
                config(Map.of(), "--unix", "/run/chat.sock", "--host", "a").servers());
        assertEquals(List.of(new UnixPath(Path.of("/run/chat.sock")), new HostPort("127.0.0.1", 7000)),
                config(Map.of(), "--unix", "/run/chat.sock", "--port", "7000").servers());
        err.reset();
        assertEquals(2, run(Map.of(), "--unix", ""));
        assertEquals("loomchat client: --unix is empty (see --help)", err().strip());
    }

    @Test
    void keepaliveDefaultsAndOff() {
        assertEquals(Keepalive.DEFAULT, config(Map.of()).keepalive());
        assertEquals(Duration.ofSeconds(30), config(Map.of()).keepNickFor());
        var off = config(Map.of(), "--ping-after", "0").keepalive();
        assertFalse(off.enabled());
        assertEquals(new Keepalive(Duration.ofMillis(1500), Duration.ofSeconds(5)),
                config(Map.of(), "--ping-after", "1.5", "--ping-timeout", "5s").keepalive());
    }

    @Test
    void aBadNickIsExplainedAsTheSlashCommandExplainsIt() {
        assertEquals(2, run(Map.of(), "--nick", "bad nick"));
        var command = (Command.Invalid) CommandParser.parse("/nick bad nick");
        assertEquals("loomchat client: " + command.message() + " (see --help)", err().strip());
    }

    @Test
    void defaultNickFromUser() {
        assertEquals("guest", ChatClientMain.defaultNick(Map.of()));
        assertEquals("alice", ChatClientMain.defaultNick(Map.of("USER", "alice")));
        assertEquals("john_doe", ChatClientMain.defaultNick(Map.of("USER", "john.doe")));
        assertEquals("_1337", ChatClientMain.defaultNick(Map.of("USER", "1337")));
        assertEquals(32, ChatClientMain.defaultNick(Map.of("USER", "x".repeat(40))).length());
    }
}
