package dev.loomchat.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bans on their own, on a clock of the test's: matching, expiry by the clock alone, lifting, the store written through. */
class ServerBansTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final BanStore store = BanStore.memory();
    private final ServerBans bans = new ServerBans(store, clock::get);

    private ServerBan account(String name, long expires) {
        return new ServerBan(ServerBan.Kind.ACCOUNT, name, "why", "alice", clock.get(), expires);
    }

    private ServerBan address(String mask, long expires) {
        return new ServerBan(ServerBan.Kind.ADDRESS, IpMask.parse(mask).toString(), "", "alice", clock.get(), expires);
    }

    @Test
    void aBanAppliesUntilItsExpiryAndThenIsForgottenHereAndInTheStore() {
        ServerBan ban = account("bob", clock.get() + 60_000);
        bans.add(ban, null);
        assertSame(ban, bans.onAccount("bob"));
        assertNull(bans.onAccount("carol"));
        clock.addAndGet(59_999);
        assertSame(ban, bans.onAccount("bob"), "a millisecond before it runs out");
        clock.addAndGet(1);
        assertNull(bans.onAccount("bob"), "at its expiry");
        assertEquals(List.of(), store.all(), "forgotten in the store on the check that found it expired");
        assertEquals(List.of(), bans.list());
        assertNull(bans.remove("bob", null), "nothing to lift");
    }

    @Test
    void addressBansMatchTheirNetworkAndLiftByAnySpellingOfIt() {
        IpMask network = IpMask.parse("203.0.113.77/24");
        ServerBan ban = address("203.0.113.0/24", 0);
        bans.add(ban, network);
        assertSame(ban, bans.onAddress("203.0.113.200"));
        assertSame(ban, bans.onAddress("::ffff:203.0.113.5"), "an IPv4-mapped IPv6 address is the IPv4 one");
        assertNull(bans.onAddress("203.0.114.1"));
        assertNull(bans.onAddress(null), "a Unix socket has no address");
        clock.addAndGet(10L * 365 * 24 * 3600 * 1000);
        assertSame(ban, bans.onAddress("203.0.113.1"), "no expiry: until lifted");
        assertSame(ban, bans.remove(null, IpMask.parse("203.0.113.0/24")));
        assertNull(bans.onAddress("203.0.113.1"));
        assertEquals(List.of(), store.all());
    }

    @Test
    void bansAreReadFromTheStoreAtStartAndListedOldestFirst() {
        bans.add(account("bob", 0), null);
        clock.incrementAndGet();
        bans.add(address("2001:db8::/32", 0), IpMask.parse("2001:db8::/32"));
        bans.add(account("carol", clock.get() + 5), null);
        ServerBans reopened = new ServerBans(store, clock::get);
        assertEquals(List.of("bob", "carol", "2001:db8::/32"), reopened.list().stream().map(ServerBan::mask).toList());
        assertTrue(reopened.onAddress("2001:db8:1::1") != null);
        clock.addAndGet(5);
        assertEquals(List.of("bob", "2001:db8::/32"), reopened.list().stream().map(ServerBan::mask).toList());
    }

    @Test
    void masksAreIpLiteralsOnlyInTheirCanonicalForm() {
        assertEquals("203.0.113.7", IpMask.parse("203.0.113.7").toString());
        assertEquals("203.0.113.0/24", IpMask.parse("203.0.113.7/24").toString());
        assertEquals("0.0.0.0/0", IpMask.parse("1.2.3.4/0").toString());
        assertEquals("2001:db8::/32", IpMask.parse("2001:DB8:0:0::1/32").toString());
        assertEquals("::1", IpMask.parse("0:0:0:0:0:0:0:1").toString());
        assertEquals("2001:db8::1:0:0:1", IpMask.parse("2001:db8:0:0:1:0:0:1").toString());
        assertEquals("203.0.113.7", IpMask.parse("::ffff:203.0.113.7").toString());
        for (String bad : List.of("", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4",
                "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/x", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "::/129", ":::")) {
            assertNull(IpMask.parse(bad), bad);
        }
        assertTrue(IpMask.parse("::1").matches("0:0:0:0:0:0:0:1%0"), "an IPv6 zone is not part of the address");
        assertFalse(IpMask.parse("10.0.0.0/8").matches("11.0.0.1"));
        assertFalse(IpMask.parse("10.0.0.0/8").matches("::1"));
    }
}
