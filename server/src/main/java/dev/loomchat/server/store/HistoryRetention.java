package dev.loomchat.server.store;

import java.time.Duration;
import java.util.Locale;

/**
 * How long the store keeps a room's messages: up to an age, up to a count per room, both (the
 * first one reached), or forever. Written as {@code --history-retention} takes it:
 * {@code 365d,1000000}, {@code 30d}, {@code 5000}, {@code forever}.
 *
 * @param maxAge     messages older than this are deleted; {@code null} = any age
 * @param maxPerRoom a room keeps at most this many (its newest); 0 = any number
 */
public record HistoryRetention(Duration maxAge, long maxPerRoom) {

    /** The default: a year, and a million messages per room (a small team's history, bounded against a flood). */
    public static final HistoryRetention DEFAULT = new HistoryRetention(Duration.ofDays(365), 1_000_000);
    public static final HistoryRetention FOREVER = new HistoryRetention(null, 0);

    public HistoryRetention {
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("retention age must be positive: " + maxAge);
        }
        if (maxPerRoom < 0) {
            throw new IllegalArgumentException("retention count must not be negative: " + maxPerRoom);
        }
    }

    /**
     * Parses {@code forever}, or a comma-separated age ({@code 365d}, {@code 12h}, {@code 30m},
     * {@code 90s}) and/or count of messages per room ({@code 10000}).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static HistoryRetention parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("forever")) {
            return FOREVER;
        }
        Duration age = null;
        long count = 0;
        for (String part : value.split(",")) {
            String item = part.trim();
            try {
                if (item.matches("\\d+")) {
                    count = Long.parseLong(item);
                    if (count == 0) {
                        throw new IllegalArgumentException("a retention count must be at least 1");
                    }
                } else if (item.matches("\\d+[dhms]")) {
                    long n = Long.parseLong(item.substring(0, item.length() - 1));
                    age = switch (item.charAt(item.length() - 1)) {
                        case 'd' -> Duration.ofDays(n);
                        case 'h' -> Duration.ofHours(n);
                        case 'm' -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    };
                } else {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + text + "' is not a retention: an age (365d, 12h, 30m, 90s) "
                        + "and/or a count of messages per room (10000), comma-separated, or forever");
            }
        }
        return new HistoryRetention(age, count);
    }

    @Override
    public String toString() {
        if (maxAge == null && maxPerRoom == 0) {
            return "forever";
        }
        String age = maxAge == null ? "" : maxAge.toDays() * 86_400 == maxAge.toSeconds() ? maxAge.toDays() + "d"
                : maxAge.toSeconds() + "s";
        String count = maxPerRoom == 0 ? "" : Long.toString(maxPerRoom);
        return age.isEmpty() ? count : count.isEmpty() ? age : age + "," + count;
    }
}
