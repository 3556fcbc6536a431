package org.fluxmpp.benchmarks.loadgen;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run counts, from any thread, and the progress line printed once a second: open connections, logins, stanzas
 * sent and received, errors.
 */
public final class Counters {

    /** Connections bound and open now. */
    public final AtomicLong connected = new AtomicLong();
    /** Logins completed (bound). */
    public final LongAdder logins = new LongAdder();
    /** Messages sent. */
    public final LongAdder sent = new LongAdder();
    /** Messages received. */
    public final LongAdder received = new LongAdder();
    /** Failed logins, connections lost, unexpected stanzas. */
    public final LongAdder errors = new LongAdder();

    private final long start = System.nanoTime();

    /**
     * Prints a progress line to {@code out} every second until the returned executor is shut down.
     */
    public ScheduledExecutorService printEverySecond(PrintStream out) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadgen-progress");
            t.setDaemon(true);
            return t;
        });
        long[] last = new long[3];
        timer.scheduleAtFixedRate(() -> {
            long l = logins.sum();
            long s = sent.sum();
            long r = received.sum();
            out.printf("%6.1fs connected %7d  logins %8d (+%6d)  sent %10d (+%7d)  received %10d (+%7d)  errors %d%n",
                    (System.nanoTime() - start) / 1e9, connected.get(), l, l - last[0], s, s - last[1], r,
                    r - last[2], errors.sum());
            last[0] = l;
            last[1] = s;
            last[2] = r;
        }, 1, 1, TimeUnit.SECONDS);
        return timer;
    }
}
