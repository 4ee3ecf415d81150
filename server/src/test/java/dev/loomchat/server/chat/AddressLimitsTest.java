package dev.loomchat.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-address rules on a clock the test drives. */
class AddressLimitsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theSourceIsTheHostPartOfEveryAddressForm() {
        assertEquals("127.0.0.1", AddressLimits.sourceOf("/127.0.0.1:5000"));
        assertEquals("10.1.2.3", AddressLimits.sourceOf("host.example/10.1.2.3:5000"));
        assertEquals("::1", AddressLimits.sourceOf("/[::1]:5000"));
        assertEquals("0:0:0:0:0:0:0:1", AddressLimits.sourceOf("/0:0:0:0:0:0:0:1:5000"));
        assertNull(AddressLimits.sourceOf("/tmp/chat.sock"), "a Unix socket is local");
        assertNull(AddressLimits.sourceOf(""));
        assertNull(AddressLimits.sourceOf(null));
    }

    @Test
    void atMostSoManyOpenPerAddress() {
        AddressLimits limits = new AddressLimits(2, 0, 0, false);
        assertNull(limits.admit("/10.0.0.1:1", 0));
        assertNull(limits.admit("/10.0.0.1:2", 0));
        assertTrue(limits.admit("/10.0.0.1:3", 0).contains("at most 2"));
        assertNull(limits.admit("/10.0.0.2:1", 0), "another address has its own count");
        limits.release("/10.0.0.1:1");
        assertNull(limits.admit("/10.0.0.1:4", 0), "a closed connection makes room");
    }

    @Test
    void newConnectionsAreThrottledAndTheBucketRefills() {
        AddressLimits limits = new AddressLimits(0, 1, 3, false);
        for (int i = 0; i < 3; i++) {
            assertNull(limits.admit("/10.0.0.1:" + i, 0));
            limits.release("/10.0.0.1:" + i);
        }
        assertTrue(limits.admit("/10.0.0.1:9", 0).contains("wait a moment"));
        assertNull(limits.admit("/10.0.0.1:9", SECOND), "one more a second later");
        assertTrue(limits.admit("/10.0.0.1:10", SECOND).contains("wait a moment"));
    }

    @Test
    void loopbackMayBeExempt() {
        AddressLimits exempt = new AddressLimits(1, 1, 1, true);
        for (int i = 0; i < 10; i++) {
            assertNull(exempt.admit("/127.0.0.1:" + i, 0));
            assertNull(exempt.admit("/[::1]:" + i, 0));
        }
        assertTrue(new AddressLimits(1, 0, 0, false).admit("/127.0.0.1:1", 0) == null);
        AddressLimits strict = new AddressLimits(1, 0, 0, false);
        strict.admit("/127.0.0.1:1", 0);
        assertTrue(strict.admit("/127.0.0.1:2", 0) != null, "not exempt unless configured");
    }

    @Test
    void sourcesWithNothingOpenAndAFullBucketAreForgotten() {
        AddressLimits limits = new AddressLimits(4, 1, 8, false);
        for (int i = 0; i < 100; i++) {
            assertNull(limits.admit("/10.0." + i + ".1:1", 0));
        }
        limits.admit("/10.9.9.9:1", 0);
        for (int i = 0; i < 100; i++) {
            limits.release("/10.0." + i + ".1:1");
        }
        limits.sweep(0);
        assertEquals(101, limits.tracked(), "buckets not yet refilled: still remembered");
        limits.sweep(SECOND);
        assertEquals(1, limits.tracked(), "only the source with a connection open is left");
    }
}
