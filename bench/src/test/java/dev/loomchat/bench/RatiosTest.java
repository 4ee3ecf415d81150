package dev.loomchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RatiosTest {

    private static Map<String, Object> room(String server, double perSecond, long lost) {
        return Map.of("server", server, "scenario", "room", "n", 1000, "deliveries_per_s", perSecond, "lost", lost);
    }

    private final Ratios ratios = new Ratios(List.of(
            room("loomchat-vt", 2_000_000, 0),
            room("netty", 1_000_000, 0),
            room("nats", 4_000_000, 0),
            room("python", 62, 4_041_945),
            Map.of("server", "loomchat-vt", "scenario", "echo", "n", 1000, "rt_per_s", 90_000.0),
            Map.of("server", "netty", "scenario", "echo", "n", 1000, "rt_per_s", 120_000.0)));

    @Test
    void aRatioOfTwoRowsThatLostNothing() {
        assertEquals("2.00×", ratios.of("loomchat-vt", "netty", "room", 1000, "deliveries_per_s"));
        assertEquals("0.75×", ratios.of("loomchat-vt", "netty", "echo", 1000, "rt_per_s"));
    }

    @Test
    void aRowThatLostMessagesSaysSoInsteadOfARatio() {
        assertEquals("– (python lost 4,041,945)", ratios.of("loomchat-vt", "python", "room", 1000, "deliveries_per_s"));
        assertEquals("– (python lost 4,041,945)", ratios.toBest("python", List.of("netty", "nats"), "room", 1000,
                "deliveries_per_s"));
    }

    @Test
    void theBestPeerIsTheFastestThatLostNothing() {
        assertEquals("0.50×", ratios.toBest("loomchat-vt", List.of("netty", "nats"), "room", 1000, "deliveries_per_s"));
        assertEquals("2.00×", ratios.toBest("loomchat-vt", List.of("netty", "python"), "room", 1000, "deliveries_per_s"));
    }

    @Test
    void aMissingRowIsADash() {
        assertEquals("–", ratios.of("loomchat-vt", "netty-flush-each", "room", 1000, "deliveries_per_s"));
        assertEquals("–", ratios.of("loomchat-vt", "python", "echo", 1000, "rt_per_s"));
    }
}
