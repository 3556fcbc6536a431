package org.fluxmpp.benchmarks.loadgen;

/**
 * What one receiver saw of one sender's numbered messages (0, 1, 2, ...): how many arrived, how many were
 * duplicates, how many came after a higher number had already arrived (out of order), and so how many were lost.
 *
 * <p>Bounded: it remembers which numbers arrived only within a window below the highest number seen; a number older
 * than that window is counted as out of order and assumed not to be a duplicate.
 *
 * <p>Not thread-safe: one receiver, one event loop.
 */
public final class SequenceTracker {

    /** What became of one arrival. */
    public enum Arrival { IN_ORDER, OUT_OF_ORDER, DUPLICATE }

    private final long[] seen;
    private final int window;
    private long highest = -1;
    private long unique;
    private long duplicates;
    private long outOfOrder;

    /** A tracker remembering the last {@code window} numbers (rounded up to a multiple of 64). */
    public SequenceTracker(int window) {
        if (window < 64) {
            throw new IllegalArgumentException("window must be at least 64: " + window);
        }
        this.seen = new long[(window + 63) / 64];
        this.window = seen.length * 64;
    }

    /** Records the arrival of message {@code seq}. */
    public Arrival record(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("negative sequence number " + seq);
        }
        if (seq > highest) {
            // Forget the numbers that fall out of the window, then mark this one.
            long from = Math.max(highest + 1, seq - window + 1);
            for (long s = from; s < seq; s++) {
                clear(s);
            }
            highest = seq;
            set(seq);
            unique++;
            return Arrival.IN_ORDER;
        }
        if (seq <= highest - window) {
            unique++;
            outOfOrder++;
            return Arrival.OUT_OF_ORDER;
        }
        if (isSet(seq)) {
            duplicates++;
            return Arrival.DUPLICATE;
        }
        set(seq);
        unique++;
        outOfOrder++;
        return Arrival.OUT_OF_ORDER;
    }

    /** Distinct messages that arrived. */
    public long unique() {
        return unique;
    }

    /** Arrivals of a number that had already arrived. */
    public long duplicates() {
        return duplicates;
    }

    /** Distinct messages that arrived after a higher-numbered one. */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Messages lost when {@code sent} were sent (numbers 0 to {@code sent - 1}). */
    public long lost(long sent) {
        return Math.max(0, sent - unique);
    }

    private int slot(long seq) {
        return (int) (seq % window);
    }

    private void set(long seq) {
        int i = slot(seq);
        seen[i >>> 6] |= 1L << (i & 63);
    }

    private void clear(long seq) {
        int i = slot(seq);
        seen[i >>> 6] &= ~(1L << (i & 63));
    }

    private boolean isSet(long seq) {
        int i = slot(seq);
        return (seen[i >>> 6] & (1L << (i & 63))) != 0;
    }
}
