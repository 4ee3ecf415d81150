package dev.loomchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loomchat.socketserver.UnixStreamServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./loomchat example ...} as a user meets it ({@link Examples#execute}, what {@code main}
 * runs): a server that cannot start is one line saying what to do and exit code 1, never a stack
 * trace; usage lines name the command to type; every summary in the command list is a sentence.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExamplesCommandLineTest {

    @TempDir
    Path dir;

    /** What one run printed, and its exit code. */
    record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Examples.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static void assertOneLine(Run run, String expectedStart, String hint) {
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().size(), "one line, no stack trace:\n" + run.err());
        String line = run.errLines().get(0);
        assertTrue(line.startsWith(expectedStart), line);
        assertTrue(line.contains(hint), line);
        assertEquals("", run.out(), "nothing else printed");
    }

    @Test
    void aTcpPortInUseIsOneLineWithAPort0Hint() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            for (String example : List.of("tcp-upper", "echo-chat", "threaded-tcp", "fork-upper")) {
                assertOneLine(run(example, "--port", String.valueOf(port)),
                        example + ": cannot listen on 127.0.0.1:" + port + ": address already in use (",
                        "--port 0 picks a free port");
            }
        }
    }

    @Test
    void aUdpPortInUseIsOneLineWithAPort0Hint() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = taken.getLocalPort();
            assertOneLine(run("udp-upper", "--port", String.valueOf(port)),
                    "udp-upper: cannot listen on 127.0.0.1:" + port + ": address already in use (",
                    "--port 0 picks a free port");
            assertOneLine(run("fork-upper", "--udp", "--port", String.valueOf(port)),
                    "fork-upper: cannot listen on 127.0.0.1:" + port + ": address already in use (",
                    "--port 0 picks a free port");
        }
    }

    @Test
    void aTakenUnixPathIsOneLineWithAPathHint() throws Exception {
        Path path = dir.resolve("taken.sock");
        try (UnixStreamServer running = new UnixStreamServer(path, TcpUpper.MyTCPHandler::new)) {
            assertOneLine(run("unix-upper", "--path", path.toString()),
                    "unix-upper: cannot listen on " + path + ": address already in use (", "another --path");
        }
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(stale)); // closing leaves the file, as a crash does
        }
        assertOneLine(run("unix-dgram-upper", "--path", stale.toString()),
                "unix-dgram-upper: cannot listen on " + stale + ": address already in use (", "--remove-stale");
    }

    @Test
    void aHostOfAnotherMachineOrNoneIsOneLine() {
        assertOneLine(run("tcp-upper", "--host", "192.0.2.1", "--port", "0"), // TEST-NET-1: never local
                "tcp-upper: cannot listen on 192.0.2.1:0: ", "--host must be an address of this machine");
        assertOneLine(run("udp-upper", "--host", "no-such-host.invalid"),
                "udp-upper: cannot resolve --host no-such-host.invalid", "");
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        Run run = run("tcp-upper", "--port", "70000");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("--port must be 0 (any free port) to 65535, not 70000"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void usageLinesNameTheCommandToType() {
        assertTrue(run("--help").out().startsWith("Usage: ./loomchat example [-h] NAME [options]"), run("--help").out());
        for (String example : new CommandLine(new Examples()).getSubcommands().keySet()) {
            Run help = run(example, "--help");
            assertEquals(0, help.exitCode());
            assertTrue(help.out().startsWith("Usage: ./loomchat example " + example + " "), help.out());
        }
    }

    /** The command list shows each example's first description line: it must be a whole sentence. */
    @Test
    void everySummaryInTheCommandListIsAWholeSentence() {
        for (Map.Entry<String, CommandLine> example : new CommandLine(new Examples()).getSubcommands().entrySet()) {
            String summary = example.getValue().getCommandSpec().usageMessage().description()[0];
            assertTrue(summary.endsWith("."), example.getKey() + ": " + summary);
        }
        String list = run("--help").out();
        assertTrue(list.contains("fork-upper        ForkingTCPServer: answers in upper case, each request in a"), list);
    }
}
