package dev.loomchat.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The room scenario over NATS's text protocol against a real nats-server (Debian's package,
 * installed by bench/setup.sh); skipped where it is not installed.
 */
class NatsRoomTest {

    @Test
    void everyPublishReachesEverySubscriberInOrder() throws Exception {
        String natsServer;
        try {
            natsServer = ServerProcess.natsServer();
        } catch (IOException e) {
            Assumptions.abort("nats-server not installed (bash bench/setup.sh)");
            return;
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process nats = new ProcessBuilder(natsServer, "-a", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return true;
                }
            });
            LoadGenerator.Options o = new LoadGenerator.Options();
            o.port = port;
            o.n = 5;
            o.durationSeconds = 0.5;
            o.warmupSeconds = 0;
            o.protocol = "nats";
            Map<String, Object> r = new LoadGenerator(o).run("room");
            assertEquals(5, r.get("joined"), r.toString());
            assertTrue((Long) r.get("says") > 0, r.toString());
            assertTrue((Long) r.get("deliveries") > 0, r.toString());
            assertEquals(0L, r.get("lost"), r.toString());
            assertEquals(0L, r.get("order_violations"), r.toString());
            assertEquals(0L, r.get("errors"), r.toString());
        } finally {
            nats.destroy();
            if (!nats.waitFor(10, TimeUnit.SECONDS)) {
                nats.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
