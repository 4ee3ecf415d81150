package dev.loomchat.bench;

/**
 * A log-linear latency histogram in nanoseconds (HdrHistogram's idea, 64 sub-buckets per power
 * of two, so a percentile is within about 1.6 % of the true value). Not thread-safe: the load
 * generator records from its one event-loop thread.
 */
final class Histogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private final long[] counts = new long[64 * SUB];
    private long total;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    /** Adds every sample of {@code other} (per-thread histograms merged after a run). */
    void add(Histogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS; // >= 0
        int mantissa = (int) (v >>> shift) - SUB;                 // the 6 bits below the leading one
        return (shift + 1) * SUB + mantissa;
    }

    private static long upperValue(int index) {
        int exp = index / SUB;
        int mantissa = index % SUB;
        if (exp == 0) {
            return mantissa;
        }
        return ((SUB + mantissa + 1L) << (exp - 1)) - 1;
    }

    /** The value at percentile {@code p} (0..100), in nanoseconds; 0 when empty. */
    long percentile(double p) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p / 100.0 * total);
        rank = Math.max(1, Math.min(total, rank));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperValue(i), max);
            }
        }
        return max;
    }
}
