package dev.loomchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ./loomchat bench ...}: exit status and the one line a user gets when a run cannot go. */
class MainTest {

    /** What one command printed and returned. */
    record Outcome(int status, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    static Outcome bench(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e);
        }
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A loopback port nothing listens on (bound, then closed). */
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertUsageError(Outcome r, String expected) {
        assertUsageError(r, expected, "(try ./loomchat bench --help)");
    }

    private static void assertUsageError(Outcome r, String expected, String hint) {
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        assertTrue(r.err().startsWith("bench: " + expected), r.err());
        assertTrue(r.err().strip().endsWith(hint), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnknownOptionIsOneLineWithTheHelpHint() throws Exception {
        assertUsageError(bench("echo", "--bogus", "1"), "unknown option --bogus");
    }

    @Test
    void aValueThatIsNotANumberNamesTheOption() throws Exception {
        assertUsageError(bench("echo", "--n", "ten"), "--n needs a whole number, not 'ten'");
        assertUsageError(bench("room", "--duration", "soon"), "--duration needs a number, not 'soon'");
    }

    @Test
    void anOptionWithoutItsValueSaysSo() throws Exception {
        assertUsageError(bench("echo", "--port"), "--port needs a value");
    }

    @Test
    void outOfRangeValuesAreRefused() throws Exception {
        assertUsageError(bench("echo", "--n", "0"), "--n must be 1..");
        assertUsageError(bench("room", "--window", "0"), "--window must be at least 1");
        assertUsageError(bench("echo", "--port", "70000"), "--port must be 1..65535");
        assertUsageError(bench("echo", "--protocol", "nats"), "--protocol nats works for the room scenario only");
    }

    @Test
    void aTargetOffLoopbackIsRefused() throws Exception {
        assertUsageError(bench("echo", "--host", "192.0.2.1"), "refusing a non-loopback target");
    }

    @Test
    void anUnknownCommandOrStrayArgumentIsAUsageError() throws Exception {
        assertUsageError(bench("frobnicate"), "unknown command 'frobnicate'");
        assertUsageError(bench("echo", "100"), "unexpected argument 100");
        assertUsageError(bench("jfr-report"), "jfr-report needs one FILE.jfr");
        assertUsageError(bench("netty-server", "--flush-each=yes"), "--flush-each takes no value");
    }

    @Test
    void theRunnerChecksItsOptionsBeforeStartingAnything() throws Exception {
        String hint = "(try bench/run.sh --help)";
        assertUsageError(bench("run", "--servers", "netty,apache"), "unknown server apache", hint);
        assertUsageError(bench("run", "--scenarios", "echo,soak"), "unknown scenario soak", hint);
        assertUsageError(bench("run", "--echo-n", "10,many"), "--echo-n needs a whole number, not 'many'", hint);
        assertUsageError(bench("run", "--smokey"), "unknown option --smokey", hint);
        assertUsageError(bench("run", "--jfr=yes"), "--jfr takes no value", hint);
    }

    @Test
    void helpGoesToStdoutWithStatusZero() throws Exception {
        Outcome r = bench("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("usage: ./loomchat bench COMMAND"), r.out());
        Outcome runner = bench("run", "--help");
        assertEquals(0, runner.status());
        assertTrue(runner.out().contains("--servers"), runner.out());
    }

    /** Nothing listening: every connection fails, so the run measured nothing and says so in one line. */
    @ParameterizedTest
    @ValueSource(strings = {"echo", "room", "hold", "churn", "echo-vt"})
    void aRunInWhichEveryConnectionFailedExitsOneWithOneLine(String scenario) throws Exception {
        int port = closedPort();
        List<String> args = new ArrayList<>(Arrays.asList(scenario, "--port", Integer.toString(port), "--n", "3",
                "--duration", "1", "--warmup", "0", "--connect-timeout", "10"));
        Outcome r = bench(args.toArray(String[]::new));
        assertEquals(1, r.status(), r.toString());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        assertTrue(r.err().startsWith("bench: " + scenario + ": "), r.err());
        assertTrue(r.err().contains("127.0.0.1:" + port), r.err());
        assertTrue(r.err().contains("is the server running there?"), r.err());
        assertEquals("", r.out(), "no figures for a run that measured nothing");
    }

    @Test
    void aRoomOverNatsWithNoServerAlsoSaysSo() throws Exception {
        int port = closedPort();
        Outcome r = bench("room", "--protocol", "nats", "--port", Integer.toString(port), "--n", "2", "--duration", "1",
                "--warmup", "0", "--connect-timeout", "10");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().startsWith("bench: room: none of the 2 chatters joined"), r.err());
    }
}
