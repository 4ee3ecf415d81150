package dev.loomchat.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostPortTest {

    @Test
    void parsesEveryForm() {
        assertEquals(new HostPort("chat.example", 9999), HostPort.parse("chat.example", 9999));
        assertEquals(new HostPort("10.0.0.1", 7000), HostPort.parse("10.0.0.1:7000", 9999));
        assertEquals(new HostPort("::1", 9999), HostPort.parse("::1", 9999));
        assertEquals(new HostPort("::1", 7000), HostPort.parse("[::1]:7000", 9999));
        assertEquals(new HostPort("::1", 9999), HostPort.parse("[::1]", 9999));
    }

    @Test
    void printsLikeItParses() {
        assertEquals("127.0.0.1:9999", new HostPort("127.0.0.1", 9999).toString());
        assertEquals("[::1]:9999", new HostPort("::1", 9999).toString());
    }

    @Test
    void rejectsBadPorts() {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:x", 9999));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:70000", 9999));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1", 9999));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(":9999", 9999));
    }
}
