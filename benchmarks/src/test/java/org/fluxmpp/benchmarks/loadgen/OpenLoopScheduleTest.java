package org.fluxmpp.benchmarks.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    @Test
    void intendedTimesFollowTheRateNotTheSends() {
        OpenLoopSchedule s = new OpenLoopSchedule(1_000, OpenLoopSchedule.intervalNanos(1000));
        assertThat(s.intendedTime(0)).isEqualTo(1_000);
        assertThat(s.intendedTime(3)).isEqualTo(1_000 + 3_000_000);
        assertThat(s.isDue(999)).isFalse();
        assertThat(s.isDue(1_000)).isTrue();
        assertThat(s.take()).isEqualTo(1_000);
        // A sender woken 2.5 intervals late finds two more slots due, stamped with their intended times.
        long now = 1_000 + 2_500_000;
        assertThat(s.isDue(now)).isTrue();
        assertThat(s.take()).isEqualTo(1_001_000);
        assertThat(s.take()).isEqualTo(2_001_000);
        assertThat(s.isDue(now)).isFalse();
        assertThat(s.nextTime()).isEqualTo(3_001_000);
    }

    @Test
    void skippedSlotsAreCountedAsMissedAndNeverSentLate() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 10);
        s.take();
        s.skip();
        s.skip();
        assertThat(s.missed()).isEqualTo(2);
        assertThat(s.slots()).isEqualTo(3);
        assertThat(s.take()).isEqualTo(30);
    }

    @Test
    void rateMustBePositive() {
        assertThatThrownBy(() -> OpenLoopSchedule.intervalNanos(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(OpenLoopSchedule.intervalNanos(3e9)).isEqualTo(1);
    }
}
