package dev.loomchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code ./loomchat example threaded-tcp}: Python's "asynchronous mix-ins" example — the server
 * in a background thread, three clients, each answer naming the thread that served it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadedTcpTest {

    private static final Pattern RECEIVED =
            Pattern.compile("Received: (VirtualThread\\[#\\d+,socketserver-virtual-\\d+\\]\\S*): Hello World (\\d)");

    @Test
    void printsThreeAnswersEachNamingTheVirtualThreadThatServedIt() throws Exception {
        ThreadedTcp example = new ThreadedTcp();
        new CommandLine(example).parseArgs(); // no options, as ./loomchat example threaded-tcp
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            assertEquals(0, example.run(out));
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("Server loop running in thread: server on 127\\.0\\.0\\.1:\\d+"), lines.get(0));
        assertFalse(lines.get(0).endsWith(":9999"), "on a free port, not the other examples' 9999: " + lines.get(0));
        Set<String> threads = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            Matcher m = RECEIVED.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals(String.valueOf(i), m.group(2));
            threads.add(m.group(1).replaceAll("/.*", ""));
        }
        assertEquals(3, threads.size(), "a new thread per request: " + threads);
    }

    @Test
    void bindsAnyFreePortByDefaultAndAcceptsPortAndHost() {
        CommandLine command = new CommandLine(new ThreadedTcp());
        command.parseArgs();
        assertEquals(0, (Integer) command.getCommandSpec().findOption("--port").getValue());
        assertEquals("127.0.0.1", command.getCommandSpec().findOption("--host").getValue());
        command.parseArgs("--port", "1234", "--host", "::1");
        assertEquals(1234, (Integer) command.getCommandSpec().findOption("--port").getValue());
        assertEquals("::1", command.getCommandSpec().findOption("--host").getValue());
    }
}
