package org.fluxmpp.benchmarks.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.xml.namespace.QName;
import org.HdrHistogram.Histogram;
import org.fluxmpp.codec.XmppStreamEncoder;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * {@code chat}: {@code pairs} pairs of bound sessions send each other {@code <message type='chat'/>} stanzas to
 * their full JIDs, in both directions. Each message's body carries its sequence number in its direction and its
 * send timestamp, so the receiver measures latency and counts lost, duplicated and reordered messages
 * ({@link SequenceTracker}).
 *
 * <ul>
 *   <li>Open loop ({@code rate > 0}): every direction sends at {@code rate / (2 * pairs)} per second on an
 *       {@link OpenLoopSchedule}; latency is measured from the intended send time, so a server that falls behind shows
 *       its queueing as latency (no coordinated omission). A slot is missed when the connection is not writable or
 *       {@code maxUnanswered} messages of the direction are still on their way.</li>
 *   <li>Closed loop ({@code rate == 0}): every direction keeps {@code window} messages on their way, sending the next
 *       when one arrives: as fast as the server goes. Latency is measured from the actual send.</li>
 * </ul>
 *
 * <p>The two sessions of a pair share one event loop, so a direction's state is touched by one thread only. After
 * the measured period, sending stops and the messages still on their way get up to {@value #DRAIN_SECONDS} s to
 * arrive; the rest are lost.
 */
public final class ChatScenario {

    static final int DRAIN_SECONDS = 5;
    private static final QName BODY = new QName(C2sLoginClient.CLIENT_NS, "body");
    private static final XmppStreamEncoder ENCODER = new XmppStreamEncoder();

    /**
     * The scenario's settings.
     *
     * @param rate total messages per second over all directions, or 0 for closed loop
     * @param window closed loop: messages on their way per direction
     * @param maxUnanswered open loop: messages on their way per direction at most (the rest are missed slots)
     * @param bodyBytes padding added to each body (besides the sequence number and timestamp)
     * @param loginsInFlight logins under way at any time while the sessions are opened
     */
    public record Settings(int pairs, double rate, int window, int maxUnanswered, int bodyBytes, Duration warmup,
                           Duration duration, int loginsInFlight) {
    }

    private final Settings settings;
    private volatile boolean stopping;
    private volatile long measureFrom;
    private volatile long measureEnd = Long.MAX_VALUE;
    private final Latency latency = new Latency();
    private final LongAdder measuredReceived = new LongAdder();
    private final LongAdder unexpected = new LongAdder();

    /** A chat run with these settings. */
    public ChatScenario(Settings settings) {
        if (settings.pairs() < 1) {
            throw new IllegalArgumentException("at least one pair");
        }
        this.settings = settings;
    }

    /** Runs it; returns the results (see the class comment). */
    public Map<String, Object> run(LoadContext ctx) throws Exception {
        int sessions = 2 * settings.pairs();
        EventLoop[] loops = new EventLoop[settings.pairs()];
        Direction[] into = new Direction[sessions];
        for (int p = 0; p < settings.pairs(); p++) {
            loops[p] = ctx.loops().next();
            into[2 * p] = new Direction(loops[p], ctx);
            into[2 * p + 1] = new Direction(loops[p], ctx);
        }
        Channel[] channels = new Channel[sessions];
        LongAdder failed = new LongAdder();
        Launcher.run(settings.loginsInFlight(), sessions, () -> false, n -> {
            int i = (int) n;
            return ctx.client().loginAndListen(ctx.target(n, loops[i / 2]), ctx.user(n), ctx.password(), "c" + n,
                    (ch, e) -> into[i].onElement(e)).thenAccept(ch -> {
                        channels[i] = ch;
                        ctx.track(ch);
                    });
        }, (n, failure) -> {
            if (failure != null) {
                failed.increment();
                ctx.counters().errors.increment();
                if (failed.sum() <= 3) {
                    ctx.out().println("login " + n + " failed: " + failure);
                }
            }
        }).get(sessions + 2L * C2sLoginClient.LOGIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (failed.sum() > 0) {
            closeAll(channels);
            throw new IllegalStateException(failed.sum() + " of " + sessions + " sessions could not log in");
        }
        // Direction into[i] carries messages from session i^1 to session i.
        for (int i = 0; i < sessions; i++) {
            into[i].connect(channels[i ^ 1], channels[i].attr(C2sLoginClient.BOUND_JID).get());
        }

        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        long interval = settings.rate() > 0 ? OpenLoopSchedule.intervalNanos(settings.rate() / sessions) : 0;
        for (int i = 0; i < sessions; i++) {
            Direction d = into[i];
            // Spread the directions' slots over one interval so that they do not all fire together.
            long phase = interval == 0 ? 0 : interval * i / sessions;
            d.loop.execute(() -> d.start(start + phase, interval));
        }
        TimeUnit.NANOSECONDS.sleep(start - System.nanoTime() + settings.warmup().toNanos());
        latency.reset();
        measuredReceived.reset();
        measureFrom = System.nanoTime();
        measureEnd = measureFrom + settings.duration().toNanos();
        TimeUnit.NANOSECONDS.sleep(settings.duration().toNanos());
        stopping = true;
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        while (System.nanoTime() - drainEnd < 0 && onTheirWay(into) > 0) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        Histogram h = latency.snapshot();
        Map<String, Object> r = new LinkedHashMap<>();
        long sent = 0;
        long received = 0;
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long missed = 0;
        for (Direction d : into) {
            // Read each direction's state on its own loop: it is confined there.
            long[] s = d.loop.submit(d::totals).get(5, TimeUnit.SECONDS);
            sent += s[0];
            received += s[1];
            lost += s[2];
            duplicates += s[3];
            outOfOrder += s[4];
            missed += s[5];
        }
        closeAll(channels);
        double seconds = settings.duration().toNanos() / 1e9;
        r.put("mode", settings.rate() > 0 ? "open" : "closed");
        r.put("pairs", settings.pairs());
        r.put("rate", settings.rate());
        r.put("window", settings.window());
        r.put("delivered_per_s", Math.round(measuredReceived.sum() / seconds * 10) / 10.0);
        r.put("sent", sent);
        r.put("received", received);
        r.put("lost", lost);
        r.put("duplicated", duplicates);
        r.put("out_of_order", outOfOrder);
        r.put("missed_slots", missed);
        r.put("unexpected_stanzas", unexpected.sum());
        r.put("latency", Latency.summary(h));
        return r;
    }

    private static long onTheirWay(Direction[] into) throws Exception {
        long n = 0;
        for (Direction d : into) {
            n += d.loop.submit(() -> d.unanswered).get(5, TimeUnit.SECONDS);
        }
        return n;
    }

    private static void closeAll(@Nullable Channel[] channels) {
        List<Future<?>> closing = new ArrayList<>();
        for (Channel ch : channels) {
            if (ch != null && ch.isOpen()) {
                closing.add(ch.writeAndFlush(ENCODER.encodeClose(ch.alloc()))
                        .addListener(f -> ch.close()));
                closing.add(ch.closeFuture());
            }
        }
        for (Future<?> f : closing) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** One direction of a pair: its sender's channel, what it sent, what its receiver saw. Confined to its loop. */
    private final class Direction {
        final EventLoop loop;
        final LoadContext ctx;
        final SequenceTracker tracker = new SequenceTracker(1 << 16);
        @Nullable Channel sender;
        byte[] head = new byte[0];
        byte[] tail = new byte[0];
        @Nullable OpenLoopSchedule schedule;
        long nextSeq;
        long unanswered;

        Direction(EventLoop loop, LoadContext ctx) {
            this.loop = loop;
            this.ctx = ctx;
        }

        void connect(Channel from, String toJid) {
            this.sender = from;
            String pad = "x".repeat(settings.bodyBytes());
            this.head = ("<message to='" + toJid + "' type='chat'><body>").getBytes(StandardCharsets.UTF_8);
            this.tail = (pad + "</body></message>").getBytes(StandardCharsets.UTF_8);
        }

        void start(long startNanos, long interval) {
            if (interval == 0) {
                for (int i = 0; i < settings.window(); i++) {
                    send(System.nanoTime());
                }
                sender.flush();
            } else {
                schedule = new OpenLoopSchedule(startNanos, interval);
                tick();
            }
        }

        private void tick() {
            if (stopping || !sender.isActive()) {
                return;
            }
            long now = System.nanoTime();
            boolean wrote = false;
            while (schedule.isDue(now)) {
                if (sender.isWritable() && unanswered < settings.maxUnanswered()) {
                    send(schedule.take());
                    wrote = true;
                } else {
                    schedule.skip();
                }
            }
            if (wrote) {
                sender.flush();
            }
            loop.schedule(this::tick, schedule.nextTime() - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        /** Writes (without flushing) the next message, stamped with {@code stamp}. */
        private void send(long stamp) {
            Channel ch = sender;
            ByteBuf buf = ch.alloc().buffer(head.length + tail.length + 40);
            buf.writeBytes(head);
            ByteBufUtil.writeAscii(buf, Long.toString(nextSeq++));
            buf.writeByte(' ');
            ByteBufUtil.writeAscii(buf, Long.toString(stamp));
            buf.writeByte(' ');
            buf.writeBytes(tail);
            unanswered++;
            ctx.counters().sent.increment();
            ch.write(buf, ch.voidPromise());
        }

        /** A stanza arrived at this direction's receiver. */
        void onElement(XmlElement e) {
            long now = System.nanoTime();
            String body = e.is(C2sLoginClient.CLIENT_NS, "message") && !"error".equals(e.attribute("type"))
                    ? e.childText(BODY) : null;
            if (body == null) {
                unexpected.increment();
                return;
            }
            int s1 = body.indexOf(' ');
            int s2 = body.indexOf(' ', s1 + 1);
            long seq;
            long stamp;
            try {
                seq = Long.parseLong(body, 0, s1, 10);
                stamp = Long.parseLong(body, s1 + 1, s2, 10);
            } catch (RuntimeException ex) {
                unexpected.increment();
                return;
            }
            ctx.counters().received.increment();
            if (now - measureFrom >= 0 && now - measureEnd <= 0) {
                measuredReceived.increment();
                latency.recordNanos(now - stamp);
            }
            if (tracker.record(seq) != SequenceTracker.Arrival.DUPLICATE) {
                unanswered--;
            }
            if (schedule == null && !stopping && sender != null && sender.isActive()) {
                send(System.nanoTime());
                sender.flush();
            }
        }

        /** sent, received (distinct), lost, duplicated, out of order, missed slots. */
        long[] totals() {
            return new long[] {nextSeq, tracker.unique(), tracker.lost(nextSeq), tracker.duplicates(),
                tracker.outOfOrder(), schedule == null ? 0 : schedule.missed()};
        }
    }
}
