package org.fluxmpp.benchmarks.loadgen;

/**
 * The intended send times of one sender at a fixed rate: slot {@code n} is due at {@code start + n * interval},
 * whether or not the previous message could be sent on time. Latency is measured from a slot's intended time, so a
 * sender held up (by the server, the socket or the load generator itself) shows as latency instead of silently
 * sending less: this is what avoids coordinated omission. A slot that cannot be sent at all (the connection is not
 * writable, or too many messages are unanswered) is skipped and counted as missed; it is never sent late in a burst
 * beyond what is due.
 *
 * <p>Not thread-safe: one sender, one event loop.
 */
public final class OpenLoopSchedule {

    private final long start;
    private final long interval;
    private long next;
    private long missed;

    /**
     * A schedule starting at {@code startNanos} (on the {@link System#nanoTime()} clock) with one slot every
     * {@code intervalNanos}.
     */
    public OpenLoopSchedule(long startNanos, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        this.start = startNanos;
        this.interval = intervalNanos;
    }

    /** The interval between slots for {@code ratePerSecond} messages per second. */
    public static long intervalNanos(double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        return Math.max(1, Math.round(1e9 / ratePerSecond));
    }

    /** The intended send time of slot {@code slot}. */
    public long intendedTime(long slot) {
        return start + slot * interval;
    }

    /** The intended time of the next slot not yet taken or skipped. */
    public long nextTime() {
        return intendedTime(next);
    }

    /** Whether the next slot is due at {@code now}. */
    public boolean isDue(long now) {
        return nextTime() - now <= 0;
    }

    /** Takes the next slot (the caller sends it) and returns its intended time. */
    public long take() {
        return intendedTime(next++);
    }

    /** Skips the next slot (the caller could not send it) and counts it as missed. */
    public void skip() {
        next++;
        missed++;
    }

    /** Slots taken or skipped so far. */
    public long slots() {
        return next;
    }

    /** Slots skipped so far. */
    public long missed() {
        return missed;
    }
}
