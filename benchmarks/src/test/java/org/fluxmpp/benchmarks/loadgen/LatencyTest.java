package org.fluxmpp.benchmarks.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyTest {

    @Test
    void percentilesInMicroseconds() {
        Latency l = new Latency();
        for (int i = 1; i <= 1000; i++) {
            l.recordNanos(i * 1_000L);
        }
        Map<String, Object> s = Latency.summary(l.snapshot());
        assertThat(s.get("count")).isEqualTo(1000L);
        assertThat((long) s.get("p50_us")).isEqualTo(500);
        assertThat((long) s.get("p90_us")).isEqualTo(900);
        assertThat((long) s.get("p99_us")).isEqualTo(990);
        assertThat((long) s.get("p999_us")).isEqualTo(999);
        assertThat((long) s.get("max_us")).isEqualTo(1000);
        assertThat((double) s.get("mean_us")).isCloseTo(500.5, within(0.5));
    }

    @Test
    void resetForgetsTheWarmUpAndSnapshotsAccumulate() {
        Latency l = new Latency();
        l.recordNanos(5_000_000);
        l.reset();
        l.recordNanos(1_000);
        assertThat(l.snapshot().getTotalCount()).isEqualTo(1);
        l.recordNanos(-7);
        assertThat(l.snapshot().getTotalCount()).isEqualTo(2);
        assertThat(l.snapshot().getMaxValue()).isEqualTo(1);
    }

    @Test
    void medianOfTheRuns() {
        assertThat(Report.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Report.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
