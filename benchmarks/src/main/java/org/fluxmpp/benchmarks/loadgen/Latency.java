package org.fluxmpp.benchmarks.loadgen;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies recorded from any thread (HdrHistogram's wait-free {@link Recorder}, three significant digits), in
 * microseconds.
 */
public final class Latency {

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);

    /** Records one latency given in nanoseconds (negative values, from clock skew, count as zero). */
    public void recordNanos(long nanos) {
        recorder.recordValue(Math.max(0, nanos) / 1000);
    }

    /** Forgets everything recorded so far (the end of a warm-up). */
    public synchronized void reset() {
        recorder.getIntervalHistogram();
        total.reset();
    }

    /** Everything recorded since the last {@link #reset()}. */
    public synchronized Histogram snapshot() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    /**
     * The summary of a histogram in microseconds: count, mean, p50, p90, p99, p99.9, max (keys {@code count},
     * {@code mean_us}, {@code p50_us}, ...).
     */
    public static Map<String, Object> summary(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("mean_us", Math.round(h.getMean() * 10) / 10.0);
        m.put("p50_us", h.getValueAtPercentile(50));
        m.put("p90_us", h.getValueAtPercentile(90));
        m.put("p99_us", h.getValueAtPercentile(99));
        m.put("p999_us", h.getValueAtPercentile(99.9));
        m.put("max_us", h.getMaxValue());
        return m;
    }
}
