package dev.loomchat.server;

import java.time.Duration;

/** Server configurations for tests: loopback, any free port, no flood control, no periodic stats log. */
final class TestServers {

    private TestServers() {
    }

    /**
     * 127.0.0.1, port 0, {@code msgRate 0}, stats logging off, loopback exempt from the
     * per-address limits (every test client is loopback); the other limits at their defaults.
     */
    static ChatConfig.Builder config() {
        return ChatConfig.builder().host("127.0.0.1").port(0).msgRate(0).statsInterval(Duration.ZERO).exemptLoopback(true)
                .shutdownGrace(Duration.ofSeconds(2));
    }
}
