package org.fluxmpp.benchmarks.loadgen;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * {@code logins}: connect, STARTTLS, authenticate, bind, close, over and over with {@code inFlight} logins under way
 * at any time. Reported: completed logins per second and the latency from the start of the TCP connect to the bind
 * result, both over the measured period (after the warm-up); a login counts when the server has answered the close.
 */
public final class LoginsScenario {

    private final int inFlight;
    private final Duration warmup;
    private final Duration duration;

    /** Logins with {@code inFlight} under way, measured for {@code duration} after {@code warmup}. */
    public LoginsScenario(int inFlight, Duration warmup, Duration duration) {
        this.inFlight = inFlight;
        this.warmup = warmup;
        this.duration = duration;
    }

    /** Runs it; returns the results (see the class comment). */
    public Map<String, Object> run(LoadContext ctx) throws Exception {
        Latency latency = new Latency();
        LongAdder measured = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        Launcher.run(inFlight, Long.MAX_VALUE, () -> System.nanoTime() - end >= 0, n -> {
            long t0 = System.nanoTime();
            return ctx.client().login(ctx.target(n, null), ctx.user(n), ctx.password(), "l" + n)
                    .thenAccept(ch -> {
                        ctx.counters().logins.increment();
                        long now = System.nanoTime();
                        if (t0 - measureFrom >= 0 && now - end <= 0) {
                            measured.increment();
                            latency.recordNanos(ch.attr(C2sLoginClient.BOUND_AT).get() - t0);
                        }
                    });
        }, (n, failure) -> {
            if (failure != null) {
                failed.increment();
                ctx.counters().errors.increment();
                if (failed.sum() <= 3) {
                    ctx.out().println("login " + n + " failed: " + failure);
                }
            }
        }).get(duration.toSeconds() + warmup.toSeconds() + 2L * C2sLoginClient.LOGIN_TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
        Histogram h = latency.snapshot();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("logins_per_s", Math.round(measured.sum() / (duration.toNanos() / 1e9) * 10) / 10.0);
        r.put("logins", measured.sum());
        r.put("failed", failed.sum());
        r.put("in_flight", inFlight);
        r.put("latency", Latency.summary(h));
        return r;
    }
}
