package org.fluxmpp.benchmarks.loadgen;

import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * {@code idle}: opens {@code connections} sessions (logged in and bound, {@code loginsInFlight} at a time), holds them
 * idle for {@code hold}, and reads the server process's resident memory ({@code VmRSS} in {@code /proc/PID/status})
 * before and after: the growth divided by the sessions is the server's memory per idle session. Before the first
 * reading, {@code warmupLogins} logins are done and closed, so that what every server loads on first use (code,
 * caches, pools) is not counted per session.
 */
public final class IdleScenario {

    private final int connections;
    private final int loginsInFlight;
    private final int warmupLogins;
    private final Duration hold;
    private final @Nullable Long pid;

    /** An idle run; {@code pid} is the server's process id, or {@code null} to measure no memory. */
    public IdleScenario(int connections, int loginsInFlight, int warmupLogins, Duration hold, @Nullable Long pid) {
        this.connections = connections;
        this.loginsInFlight = loginsInFlight;
        this.warmupLogins = warmupLogins;
        this.hold = hold;
        this.pid = pid;
    }

    /** Runs it; returns the results (see the class comment). */
    public Map<String, Object> run(LoadContext ctx) throws Exception {
        LongAdder failed = new LongAdder();
        Launcher.Finished count = (n, failure) -> {
            if (failure != null) {
                failed.increment();
                ctx.counters().errors.increment();
                if (failed.sum() <= 3) {
                    ctx.out().println("login " + n + " failed: " + failure);
                }
            }
        };
        long timeout = 2L * C2sLoginClient.LOGIN_TIMEOUT_SECONDS;
        Launcher.run(loginsInFlight, warmupLogins, () -> false,
                n -> ctx.client().login(ctx.target(n, null), ctx.user(n), ctx.password(), "w" + n), count)
                .get(warmupLogins + timeout, TimeUnit.SECONDS);
        // Let the server finish closing the warm-up's connections before the first reading.
        TimeUnit.SECONDS.sleep(1);
        long before = pid == null ? -1 : vmRssKiB(pid);
        Queue<Channel> open = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        Launcher.run(loginsInFlight, connections, () -> false, n -> ctx.client()
                .loginAndStay(ctx.target(n, null), ctx.user(n), ctx.password(), "i" + n, LoadContext.Sink.INSTANCE)
                .thenAccept(ch -> {
                    open.add(ch);
                    ctx.track(ch);
                }), count).get(connections + timeout, TimeUnit.SECONDS);
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        TimeUnit.NANOSECONDS.sleep(hold.toNanos());
        long after = pid == null ? -1 : vmRssKiB(pid);
        long stillOpen = open.stream().filter(Channel::isActive).count();
        for (Channel ch : open) {
            ch.close();
        }
        for (Channel ch : List.copyOf(open)) {
            ch.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("connections", connections);
        r.put("bound", open.size());
        r.put("still_open", stillOpen);
        r.put("failed", failed.sum());
        r.put("open_seconds", Math.round(openSeconds * 10) / 10.0);
        if (pid != null) {
            r.put("pid", pid);
            r.put("rss_before_kib", before);
            r.put("rss_after_kib", after);
            r.put("bytes_per_connection", stillOpen == 0 ? 0 : Math.round((after - before) * 1024.0 / stillOpen));
        }
        return r;
    }

    /** The resident set size of a process, from {@code /proc/PID/status}, in KiB. */
    public static long vmRssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").strip());
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
