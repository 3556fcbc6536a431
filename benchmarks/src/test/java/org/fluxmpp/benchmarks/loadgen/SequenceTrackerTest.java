package org.fluxmpp.benchmarks.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.fluxmpp.benchmarks.loadgen.SequenceTracker.Arrival;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    @Test
    void inOrderNothingLost() {
        SequenceTracker t = new SequenceTracker(64);
        for (long i = 0; i < 1000; i++) {
            assertThat(t.record(i)).isEqualTo(Arrival.IN_ORDER);
        }
        assertThat(t.unique()).isEqualTo(1000);
        assertThat(t.lost(1000)).isZero();
        assertThat(t.duplicates()).isZero();
        assertThat(t.outOfOrder()).isZero();
    }

    @Test
    void lossDuplicatesAndReordering() {
        SequenceTracker t = new SequenceTracker(64);
        t.record(0);
        t.record(2);
        assertThat(t.record(1)).isEqualTo(Arrival.OUT_OF_ORDER);
        assertThat(t.record(1)).isEqualTo(Arrival.DUPLICATE);
        assertThat(t.record(2)).isEqualTo(Arrival.DUPLICATE);
        t.record(5);
        // 3 and 4 never arrive; 6 and 7 were sent but are still missing at the end.
        assertThat(t.unique()).isEqualTo(4);
        assertThat(t.lost(8)).isEqualTo(4);
        assertThat(t.duplicates()).isEqualTo(2);
        assertThat(t.outOfOrder()).isEqualTo(1);
    }

    @Test
    void theWindowSlidesWithoutForgettingRecentNumbers() {
        SequenceTracker t = new SequenceTracker(64);
        for (long i = 0; i < 10_000; i += 2) {
            t.record(i);
        }
        // Within the window: a late odd number is new, an even one a duplicate.
        assertThat(t.record(9_997)).isEqualTo(Arrival.OUT_OF_ORDER);
        assertThat(t.record(9_990)).isEqualTo(Arrival.DUPLICATE);
        // Far behind the window: counted as out of order, not as a duplicate.
        assertThat(t.record(10)).isEqualTo(Arrival.OUT_OF_ORDER);
        assertThat(t.unique()).isEqualTo(5_002);
        assertThat(t.duplicates()).isEqualTo(1);
    }
}
