package org.fluxmpp.benchmarks;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.router.StanzaRoutes;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * In-process routing through {@link XmppRouter}: one operation is one stanza routed from a bound session, until it
 * sits in the target session's queue (and is taken out again by the benchmark).
 *
 * <p>{@code sessions} sessions are bound through {@link XmppRouter#bind} on {@code example.com}: two resources per
 * account ({@code user<k>@example.com/r0} and {@code /r1}; one session is one account with one resource). Each is a
 * {@link BenchSession}, whose {@code deliver} is a store into a 16-slot array ring. Senders take turns round-robin;
 * sender {@code i} sends to the session after it ({@code i + 1}, wrapping around).
 *
 * <ul>
 *   <li>{@link #messageToFullJid}: a chat message to a bound full JID (registry lookup, delivery);</li>
 *   <li>{@link #messageToBareJid}: the same message to the bare JID of that session's account (the most recently
 *       active resource, {@code r1});</li>
 *   <li>{@link #iqToServerRoutes}: an IQ get to {@code example.com} whose payload matches the last of ten
 *       {@code iqGet} routes of one {@link StanzaRoutes}; the handler answers {@code iq.result()}, delivered back
 *       to the sender;</li>
 *   <li>{@link #pingToServer}: an XEP-0199 ping to {@code example.com}, answered by the built-in route (a router of
 *       the same registry without the ten routes);</li>
 *   <li>{@link #baselineNoRouter}: everything these do except the router: pick the sender, wrap the element, hand
 *       it straight to the target session's {@code deliver}, take it out.</li>
 * </ul>
 *
 * <p>The stanza elements are built once, with {@code from} stamped as the transport does. Each operation wraps its
 * element in a new {@link Stanza} ({@link Stanza#of}, one small object): a {@code Stanza} caches its parsed
 * {@code to}, and the transport hands the router a new one for each stanza ({@code stanza.withFrom(jid)}), so the
 * router parses {@code to} once per stanza, as here. The {@code Mono} of {@link XmppRouter#route} completes before
 * {@code subscribe} returns (checked on every operation); it is subscribed with one reusable subscriber rather than
 * {@code block()}, whose latch would be the benchmark's allocation, not the router's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

    static final String DOMAIN = "example.com";
    static final int ROUTES = 10;
    static final String ROUTE_NAMESPACE = "urn:example:bench:";

    /** Sessions bound; two resources per account from two sessions up. */
    @Param({"1", "100", "10000"})
    public int sessions;

    private XmppRouter withRoutes;
    private XmppRouter builtInOnly;
    private BenchSession[] bound;

    // Per sender: the stanza element and the session that must receive what routing it produces.
    private XmlElement[] messageToFull;
    private BenchSession[] messageToFullTarget;
    private XmlElement[] messageToBare;
    private BenchSession[] messageToBareTarget;
    private XmlElement[] iqGet;
    private XmlElement[] ping;

    private final Completion completion = new Completion();
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        int n = sessions;
        int perAccount = n >= 2 ? 2 : 1;
        StanzaRoutes.Builder routes = StanzaRoutes.route();
        for (int k = 0; k < ROUTES; k++) {
            routes.iqGet(ROUTE_NAMESPACE + k, "query", (iq, session) -> Mono.just(iq.result()));
        }
        builtInOnly = XmppRouter.create().domain(DOMAIN);
        // A copy shares the registry: sessions bound once are seen by both.
        withRoutes = builtInOnly.routes(routes.build());

        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        bound = new BenchSession[n];
        for (int i = 0; i < n; i++) {
            FullJid jid = FullJid.of("user" + (i / perAccount), DOMAIN, "r" + (i % perAccount));
            // The later resource of an account is the more recently active one.
            bound[i] = new BenchSession(jid, "stream-" + i, start.plusSeconds(i));
            withRoutes.bind(bound[i]).block();
        }
        if (withRoutes.registry().size() != n) {
            throw new IllegalStateException("bound " + withRoutes.registry().size() + " sessions, not " + n);
        }

        messageToFull = new XmlElement[n];
        messageToFullTarget = new BenchSession[n];
        messageToBare = new XmlElement[n];
        messageToBareTarget = new BenchSession[n];
        iqGet = new XmlElement[n];
        ping = new XmlElement[n];
        XmlElement lastRoute = XmlElement.empty(ROUTE_NAMESPACE + (ROUTES - 1), "query");
        XmlElement pingPayload = XmlElement.empty("urn:xmpp:ping", "ping");
        for (int i = 0; i < n; i++) {
            FullJid from = bound[i].jid();
            int t = (i + 1) % n;
            FullJid to = bound[t].jid();
            messageToFull[i] = Message.builder().type(Message.Type.CHAT).to(to).from(from).id("m" + i)
                    .body("Hello, how are you today?").build().element();
            messageToFullTarget[i] = bound[t];
            messageToBare[i] = Message.builder().type(Message.Type.CHAT).to(to.asBareJid()).from(from).id("b" + i)
                    .body("Hello, how are you today?").build().element();
            int lastOfAccount = (t / perAccount) * perAccount + perAccount - 1;
            messageToBareTarget[i] = bound[Math.min(lastOfAccount, n - 1)];
            iqGet[i] = Iq.get(lastRoute).to(Jid.parse(DOMAIN)).from(from).id("q" + i).build().element();
            ping[i] = Iq.get(pingPayload).to(Jid.parse(DOMAIN)).from(from).id("p" + i).build().element();
        }
        check();
    }

    /** Every case once for every sender: the expected stanza arrives where expected, and nothing else anywhere. */
    private void check() {
        for (int i = 0; i < sessions; i++) {
            // Each call takes the next sender: start each from sender i.
            next = i;
            expect(messageToFullJid(), Message.class, bound[i].jid());
            next = i;
            expect(messageToBareJid(), Message.class, bound[i].jid());
            next = i;
            Iq result = (Iq) expect(iqToServerRoutes(), Iq.class, Jid.parse(DOMAIN));
            if (result.type() != Iq.Type.RESULT || !bound[i].jid().equals(result.to())) {
                throw new IllegalStateException("not the result expected: " + result);
            }
            next = i;
            Iq pong = (Iq) expect(pingToServer(), Iq.class, Jid.parse(DOMAIN));
            if (pong.type() != Iq.Type.RESULT || !bound[i].jid().equals(pong.to())) {
                throw new IllegalStateException("not the pong expected: " + pong);
            }
            next = i;
            expect(baselineNoRouter(), Message.class, bound[i].jid());
        }
        for (BenchSession s : bound) {
            if (s.queued() != 0) {
                throw new IllegalStateException(s + " still holds " + s.queued() + " stanza(s)");
            }
        }
        next = 0;
    }

    private static Stanza expect(Stanza s, Class<? extends Stanza> kind, Jid from) {
        if (!kind.isInstance(s) || s.isError() || !from.equals(s.from())) {
            throw new IllegalStateException("unexpected " + s);
        }
        return s;
    }

    private int sender() {
        int i = next;
        next = i + 1 == bound.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public Stanza messageToFullJid() {
        int i = sender();
        route(withRoutes, Stanza.of(messageToFull[i]), bound[i]);
        return take(messageToFullTarget[i]);
    }

    @Benchmark
    public Stanza messageToBareJid() {
        int i = sender();
        route(withRoutes, Stanza.of(messageToBare[i]), bound[i]);
        return take(messageToBareTarget[i]);
    }

    @Benchmark
    public Stanza iqToServerRoutes() {
        int i = sender();
        route(withRoutes, Stanza.of(iqGet[i]), bound[i]);
        return take(bound[i]);
    }

    @Benchmark
    public Stanza pingToServer() {
        int i = sender();
        route(builtInOnly, Stanza.of(ping[i]), bound[i]);
        return take(bound[i]);
    }

    @Benchmark
    public Stanza baselineNoRouter() {
        int i = sender();
        BenchSession target = messageToFullTarget[i];
        if (!target.deliver(Stanza.of(messageToFull[i]))) {
            throw new IllegalStateException(target + " refused");
        }
        return take(target);
    }

    private void route(XmppRouter router, Stanza stanza, BenchSession sender) {
        Completion c = completion;
        c.done = false;
        router.route(stanza, sender).subscribe(c);
        if (!c.done) {
            throw new IllegalStateException("route(...) did not complete before subscribe returned");
        }
        if (c.error != null) {
            throw new IllegalStateException("route(...) failed", c.error);
        }
    }

    private static Stanza take(BenchSession target) {
        Stanza s = target.poll();
        if (s == null) {
            throw new IllegalStateException("nothing delivered to " + target);
        }
        return s;
    }

    /** Subscribes to a {@code Mono<Void>} and records that it ended; reused for every operation. */
    static final class Completion implements CoreSubscriber<Void> {
        boolean done;
        @Nullable Throwable error;

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Void v) {
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            done = true;
        }

        @Override
        public void onComplete() {
            done = true;
        }
    }
}
