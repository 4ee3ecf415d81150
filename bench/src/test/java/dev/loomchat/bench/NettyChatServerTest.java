package dev.loomchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Netty comparison server, both fan-outs, driven by the load generator: every say reaches
 * every member, in order. (Correctness only; speed is for the benchmark.)
 */
class NettyChatServerTest {

    private static LoadGenerator.Options options(int port, int n) {
        LoadGenerator.Options o = new LoadGenerator.Options();
        o.port = port;
        o.n = n;
        o.durationSeconds = 0.5;
        o.warmupSeconds = 0;
        o.connectTimeoutSeconds = 30;
        return o;
    }

    @ParameterizedTest(name = "flushEach={0}")
    @ValueSource(booleans = {false, true})
    void everySayReachesEveryMemberInOrder(boolean flushEach) throws Exception {
        try (NettyChatServer.Running server = NettyChatServer.start("127.0.0.1", 0, 1, flushEach)) {
            Map<String, Object> r = new LoadGenerator(options(server.port(), 5)).run("room");
            assertEquals(5, r.get("joined"), r.toString());
            assertTrue((Long) r.get("says") > 0, r.toString());
            assertEquals(0L, r.get("lost"), r.toString());
            assertEquals(0L, r.get("order_violations"), r.toString());
            assertEquals(0L, r.get("errors"), r.toString());
            assertEquals(0L, r.get("dropped_connections"), r.toString());
        }
    }

    @ParameterizedTest(name = "flushEach={0}")
    @ValueSource(booleans = {false, true})
    void pingsAreAnsweredAndSessionsEndWithBye(boolean flushEach) throws Exception {
        try (NettyChatServer.Running server = NettyChatServer.start("127.0.0.1", 0, 1, flushEach)) {
            Map<String, Object> echo = new LoadGenerator(options(server.port(), 3)).run("echo");
            assertTrue((Long) echo.get("round_trips") > 0, echo.toString());
            assertEquals(0L, echo.get("errors"), echo.toString());
            Map<String, Object> churn = new LoadGenerator(options(server.port(), 2)).run("churn");
            assertTrue((Long) churn.get("sessions") > 0, churn.toString());
            assertEquals(0L, churn.get("errors"), churn.toString());
        }
    }
}
