package dev.loomchat.server.account;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed logins per account and per source address in a sliding window: once one of
 * them has {@code limit} failures within the window, its logins are refused without a password
 * check until the oldest failure is older than the window. So a guesser gets {@code limit}
 * guesses per window per account (however many addresses it has) and per address (however many
 * accounts it tries), and costs the server no hash while refused. A success clears the
 * account's failures (not the address's).
 *
 * <p>Memory: one small entry per key with recent failures; entries whose failures have all
 * aged out are swept when the table grows past {@link #SWEEP_AT}.
 *
 * <p>Threading: safe from any thread.
 */
public final class LoginThrottle {

    /** Failures per account in the window (then refused). */
    public static final int DEFAULT_ACCOUNT_LIMIT = 5;
    /** Failures per address in the window: a household behind one address mistypes more. */
    public static final int DEFAULT_ADDRESS_LIMIT = 20;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    static final int SWEEP_AT = 10_000;

    private final int accountLimit;
    private final int addressLimit;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public LoginThrottle() {
        this(DEFAULT_ACCOUNT_LIMIT, DEFAULT_ADDRESS_LIMIT, DEFAULT_WINDOW, System::nanoTime);
    }

    public LoginThrottle(int accountLimit, int addressLimit, Duration window, LongSupplier nanoClock) {
        this.accountLimit = accountLimit;
        this.addressLimit = addressLimit;
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
    }

    /** Whether a login to {@code account} from {@code address} is refused now. */
    public boolean throttled(String account, String address) {
        long now = clock.getAsLong();
        return recent(accountKey(account), now) >= accountLimit || recent(addressKey(address), now) >= addressLimit;
    }

    /** Counts a failed login. */
    public void failed(String account, String address) {
        long now = clock.getAsLong();
        if (failures.size() > SWEEP_AT) {
            failures.keySet().removeIf(key -> recent(key, now) == 0);
        }
        add(accountKey(account), now, accountLimit);
        add(addressKey(address), now, addressLimit);
    }

    /** A successful login: the account's failures are forgotten. */
    public void succeeded(String account) {
        failures.remove(accountKey(account));
    }

    private void add(String key, long now, int limit) {
        failures.compute(key, (k, times) -> {
            Deque<Long> list = times == null ? new ArrayDeque<>() : times;
            list.addLast(now);
            while (list.size() > limit) {
                list.removeFirst(); // only the newest `limit` failures matter
            }
            return list;
        });
    }

    private int recent(String key, long now) {
        int[] count = new int[1];
        failures.computeIfPresent(key, (k, times) -> {
            while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
                times.removeFirst();
            }
            count[0] = times.size();
            return times.isEmpty() ? null : times;
        });
        return count[0];
    }

    private static String accountKey(String account) {
        return "a:" + account;
    }

    private static String addressKey(String address) {
        return "h:" + address;
    }
}
