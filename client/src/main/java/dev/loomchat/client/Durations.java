package dev.loomchat.client;

import java.time.Duration;
import java.util.Locale;

/** Durations on the command line and in messages: {@code 500ms}, {@code 30s}, {@code 2m}, or seconds ({@code 1.5}). */
final class Durations {

    private Durations() {
    }

    /**
     * Parses {@code text} (the server's options take the same forms).
     *
     * @throws IllegalArgumentException with a one-line reason, also for a negative duration
     */
    static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                String seconds = t.endsWith("s") ? t.substring(0, t.length() - 1) : t;
                double value = Double.parseDouble(seconds);
                if (!Double.isFinite(value) || Math.abs(value) > 1e9) {
                    throw new NumberFormatException(seconds);
                }
                d = Duration.ofMillis(Math.round(value * 1000));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 30s, 2m, 1.5)");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        return d;
    }

    /** {@code 15 s}, {@code 1.5 s}, {@code 300 ms}: for messages. */
    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
