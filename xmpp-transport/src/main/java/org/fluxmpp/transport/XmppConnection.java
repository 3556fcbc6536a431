package org.fluxmpp.transport;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fluxmpp.jid.DomainJid;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.routing.StanzaRoute;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.transport.internal.client.ClientStream;
import org.fluxmpp.transport.internal.client.ConnectTarget;
import org.fluxmpp.transport.internal.client.ServerLookup;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.tcp.TcpResources;
import reactor.util.retry.Retry;

/**
 * A client's connection to its server, from {@link XmppClient#connect()}: stanzas in as a hot {@link Flux}, stanzas
 * out as a {@link Publisher} whose demand follows the socket, IQ requests matched to their responses.
 *
 * <pre>{@code
 * conn.inbound().ofType(Message.class).map(Message::body).subscribe(System.out::println);
 * conn.send(Flux.interval(Duration.ofSeconds(1)).map(i -> Message.builder().to(peer).body("tick " + i).build()));
 * conn.request(Iq.get(XmlElement.empty("urn:xmpp:ping", "ping")).to("example.com").id("p1").build())
 *     .subscribe(pong -> log.info("server is there"));
 * conn.close().block();
 * }</pre>
 *
 * <p><b>Inbound policy.</b> {@link #inbound()} is hot and shared by its subscribers. IQ responses go to their
 * {@link #request} first, and the client's route (if any) takes what it matches; the rest goes to the subscribers,
 * through a buffer of {@link XmppClient#inboundCapacity} stanzas. When that buffer is full because subscribers are
 * slow, the client stops reading from the socket until they catch up, so nothing is lost and the server feels the
 * backpressure through TCP. While nobody is subscribed, stanzas are dropped (a hot source has nobody to give them to)
 * and the stream goes on, so requests and routes keep working.
 *
 * <p><b>States.</b> {@link #states()} replays the current {@link ConnectionState} and every change. With
 * reconnection ({@link XmppClient#reconnect}), a lost stream shows as {@code RECONNECTING} until a new one is
 * {@code ONLINE}; sending meanwhile fails with {@link IllegalStateException}, and requests waiting on the lost stream
 * fail with an {@link IOException}.
 *
 * <p>Thread-safe: any thread may send, request and close.
 */
public final class XmppConnection {

    private static final Logger log = LoggerFactory.getLogger(XmppConnection.class);
    private static final String PING_NS = "urn:xmpp:ping";
    private static final long POLL_MILLIS = 10;
    private static final StanzaError SERVICE_UNAVAILABLE = StanzaError.of(StanzaError.Condition.SERVICE_UNAVAILABLE);

    private final XmppClient config;
    private final Sinks.Many<ConnectionState> states = Sinks.many().replay().latest();
    private final Sinks.Many<Stanza> inboundSink;
    private final Flux<Stanza> inbound;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final AtomicBoolean userClosed = new AtomicBoolean();
    private final Session session = new Session();
    private final Object inboundLock = new Object();
    private volatile @Nullable ClientStream stream;
    /** Whether {@link #stream} is the live one (false while reconnecting and after the end). */
    private volatile boolean online;
    private volatile @Nullable Presence lastPresence;
    private volatile @Nullable Disposable reconnecting;
    private volatile long lastActivity = System.currentTimeMillis();
    private @Nullable Stanza waitingStanza;
    private @Nullable MonoSink<Void> waitingSink;
    private long requestIds;

    private XmppConnection(XmppClient config) {
        this.config = config;
        this.inboundSink = Sinks.many().multicast().onBackpressureBuffer(config.inboundCapacity(), false);
        // A subscriber's request (or its leaving) may make room: the stanza waiting for room tries again, after the
        // request has reached the sink (hence scheduled, not inline).
        this.inbound = inboundSink.asFlux()
                .doOnRequest(n -> Schedulers.parallel().schedule(this::retryWaiting))
                .doOnCancel(() -> Schedulers.parallel().schedule(this::retryWaiting));
    }

    static Mono<XmppConnection> connect(XmppClient config) {
        XmppConnection c = new XmppConnection(config);
        return c.openStream(config).map(s -> {
            c.online(s);
            return c;
        });
    }

    // ---- public API -----------------------------------------------------------------------------------------

    /** The full JID the server bound (RFC 6120 section 7), for the current or, while reconnecting, the last stream. */
    public FullJid jid() {
        return Objects.requireNonNull(stream, "stream").jid();
    }

    /** The SASL mechanism the current stream authenticated with (the strongest both sides offered). */
    public SaslMechanism saslMechanism() {
        return current().saslMechanism();
    }

    /**
     * The channel binding the current stream's SCRAM -PLUS exchange used ({@code tls-exporter} or
     * {@code tls-server-end-point}), or {@code null} without -PLUS.
     */
    public @Nullable String channelBinding() {
        return current().channelBinding();
    }

    /** Whether the current stream is protected by TLS. */
    public boolean isSecure() {
        ClientStream s = stream;
        return s != null && s.isSecure();
    }

    /**
     * The stanzas the server sends that no request or route took; hot, see the inbound policy above. Completes when
     * the connection is closed by the client, signals the error that ended it otherwise (as {@link #onClose()}).
     */
    public Flux<Stanza> inbound() {
        return inbound;
    }

    /** The connection's state now and every change after, ending with {@link ConnectionState#CLOSED}. */
    public Flux<ConnectionState> states() {
        return states.asFlux();
    }

    /**
     * Sends stanzas, as fast as the socket takes them (demand follows TCP's writability). An available presence
     * without {@code to} is remembered and sent again after a reconnection.
     *
     * @return completes when every stanza was written; signals {@link IllegalStateException} when the connection
     *         is not online, or the I/O error that ended the stream
     */
    public Mono<Void> send(Publisher<? extends Stanza> stanzas) {
        return Mono.defer(() -> current().send(Flux.from(stanzas).doOnNext(this::remember)));
    }

    /** Sends one stanza; see {@link #send(Publisher)}. */
    public Mono<Void> send(Stanza stanza) {
        return send(Mono.just(stanza));
    }

    /** Sends an IQ request and waits for its response with the default timeout; see {@link #request(Iq, Duration)}. */
    public Mono<Iq> request(Iq iq) {
        return request(iq, config.requestTimeout());
    }

    /**
     * Sends an IQ get or set and waits for its response (RFC 6120 8.2.3), matched by id and by sender: the entity
     * it was sent to (or, without {@code to}, the server or the account).
     *
     * @return the {@code result}; signals {@link StanzaErrorException} for an {@code error} response,
     *         {@link TimeoutException} when none came in time, {@link IllegalArgumentException} for a result or
     *         error IQ, {@link IllegalStateException} when the id is already waiting, too many requests wait, or
     *         the connection is not online, and {@link IOException} when the stream ends first
     */
    public Mono<Iq> request(Iq iq, Duration timeout) {
        Objects.requireNonNull(iq, "iq");
        Objects.requireNonNull(timeout, "timeout");
        return Mono.defer(() -> {
            if (!iq.isRequest()) {
                return Mono.error(new IllegalArgumentException("not a request: type " + iq.type()));
            }
            ClientStream s = current();
            String id = iq.id();
            Pending p = new Pending(iq.to(), Sinks.one());
            if (pending.size() >= config.maxPendingRequests()) {
                return Mono.error(new IllegalStateException("too many requests waiting: "
                        + config.maxPendingRequests()));
            }
            if (pending.putIfAbsent(id, p) != null) {
                return Mono.error(new IllegalStateException("a request with id " + id + " is already waiting"));
            }
            if (!s.write(iq)) {
                pending.remove(id, p);
                return Mono.error(new IOException("the stream is closing"));
            }
            return p.response.asMono()
                    .timeout(timeout, Mono.error(() -> new TimeoutException("no response to IQ " + id + " within "
                            + timeout)))
                    .doFinally(signal -> pending.remove(id, p));
        });
    }

    /** A fresh id for a request, unique on this connection. */
    public synchronized String nextId() {
        return "fx-" + Long.toString(++requestIds, 36);
    }

    /**
     * Closes for good: no reconnection; the stream is closed as RFC 6120 section 4.4 says ({@code </stream:stream>},
     * then waiting for the server's, then TCP).
     *
     * @return completes when the connection is closed
     */
    public Mono<Void> close() {
        return Mono.defer(() -> {
            userClosed.set(true);
            Disposable r = reconnecting;
            if (r != null) {
                r.dispose();
            }
            ClientStream s = stream;
            Mono<Void> closing = s == null ? Mono.empty() : s.close();
            // Closing what already ended (with whatever error) is done, not a failure of close().
            return closing.then(Mono.fromRunnable(() -> finish(null)))
                    .then(closed.asMono().onErrorResume(e -> Mono.empty()));
        });
    }

    /**
     * Completes when the connection is closed for good by the client; signals why when it ended otherwise: the
     * {@link StreamErrorException} the server sent (such as {@code conflict}), the I/O error, or the last
     * reconnection failure.
     */
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public String toString() {
        ClientStream s = stream;
        return "XmppConnection[" + (s == null ? config.jid() : s) + "]";
    }

    // ---- streams --------------------------------------------------------------------------------------------

    private ClientStream current() {
        ClientStream s = stream;
        if (s == null || !online || userClosed.get()) {
            throw new IllegalStateException("not online");
        }
        return s;
    }

    /**
     * Tries each place the server may be, in order, until one gives a negotiated stream; when none does, signals
     * the last one's error (the earlier ones suppressed in it).
     */
    private static Mono<ClientStream> openStream(XmppClient config) {
        return config.password().flatMap(password -> {
            List<Throwable> failures = new ArrayList<>();
            return targets(config)
                    .concatMap(t -> ClientStream.open(config, password, t)
                            // RFC 6120 4.9.3.19: the server names another host; follow it, once per target.
                            .onErrorResume(e -> {
                                ConnectTarget other = redirect(e, t.directTls());
                                return other == null ? Mono.error(e) : ClientStream.open(config, password, other);
                            })
                            .onErrorResume(e -> {
                                if (isFinal(e)) {
                                    return Mono.error(e);
                                }
                                log.debug("{} failed: {}", t, e.toString());
                                failures.add(e);
                                return Mono.empty();
                            }), 1)
                    .next()
                    .switchIfEmpty(Mono.error(() -> {
                        if (failures.isEmpty()) {
                            return new IOException("no server for " + config.domain() + " to try");
                        }
                        Throwable last = failures.get(failures.size() - 1);
                        failures.subList(0, failures.size() - 1).forEach(last::addSuppressed);
                        return last;
                    }));
        });
    }

    /**
     * A failure that trying again would only repeat: authentication, a certificate the client does not trust, a
     * refused binding, or a stream error other than the server going away or timing out (such as {@code conflict},
     * where another session took this resource, or {@code host-unknown}).
     */
    private static boolean isLasting(Throwable e) {
        if (e instanceof StreamErrorException se) {
            StreamError.Condition c = se.condition();
            return c != StreamError.Condition.SYSTEM_SHUTDOWN && c != StreamError.Condition.CONNECTION_TIMEOUT
                    && c != StreamError.Condition.RESET && c != StreamError.Condition.SEE_OTHER_HOST
                    && c != StreamError.Condition.INTERNAL_SERVER_ERROR;
        }
        return e instanceof SaslFailureException || e instanceof StanzaErrorException
                || e instanceof javax.net.ssl.SSLHandshakeException;
    }

    /** Where a {@code see-other-host} stream error sends the client, or {@code null} for any other failure. */
    private static @Nullable ConnectTarget redirect(Throwable e, boolean directTls) {
        if (e instanceof StreamErrorException se && se.error().otherHost() != null) {
            return ConnectTarget.seeOtherHost(Objects.requireNonNull(se.error().otherHost()), directTls);
        }
        return null;
    }

    /** An authentication or binding failure, or a server's stream error: another address would say the same. */
    private static boolean isFinal(Throwable e) {
        return e instanceof SaslFailureException || e instanceof StanzaErrorException
                || e instanceof StreamErrorException;
    }

    /** Where to connect: the explicit host, or what DNS says (RFC 6120 3.2, XEP-0368), looked up without blocking. */
    private static Flux<ConnectTarget> targets(XmppClient config) {
        String host = config.host();
        if (host != null) {
            return Flux.just(new ConnectTarget(host, config.port(), config.directTls()));
        }
        return Flux.using(() -> {
            ServerLookup.Builder b = ServerLookup.builder(TcpResources.get().onClient(true).next());
            if (!config.dnsServers().isEmpty()) {
                b.nameServers(config.dnsServers());
            }
            return b.build();
        }, lookup -> lookup.lookup(config.domain()).flatMapMany(Flux::fromIterable), ServerLookup::close);
    }

    private void online(ClientStream s) {
        stream = s;
        online = true;
        s.start(new Listener());
        states.tryEmitNext(ConnectionState.ONLINE);
        Presence presence = lastPresence;
        if (presence != null) {
            s.write(presence);
        }
    }

    private void remember(Stanza stanza) {
        if (stanza instanceof Presence p && p.to() == null) {
            String type = p.typeAttribute();
            // RFC 6121 4.2 and 4.4: an available presence broadcast is what to restore; unavailable clears it.
            lastPresence = type == null ? p : null;
        }
    }

    private void lost(ClientStream s, @Nullable Throwable cause) {
        if (stream != s) {
            return;
        }
        online = false;
        failPending(cause == null ? new IOException("the stream closed") : cause);
        Duration backoff = config.reconnectMinBackoff();
        if (userClosed.get() || cause == null || backoff == null || isLasting(cause)) {
            finish(cause);
            return;
        }
        log.info("{} lost ({}); reconnecting", s, cause.toString());
        states.tryEmitNext(ConnectionState.RECONNECTING);
        // The same resource again (RFC 6120 7.7: one the client asks for), so peers keep reaching this client.
        ConnectTarget other = redirect(cause, config.directTls());
        if (other != null) {
            log.info("{} sent to {}", s, other);
        }
        // see-other-host (RFC 6120 4.9.3.19): reconnect there; the certificate must still name the XMPP domain.
        XmppClient again = other == null ? config.resource(s.jid().resourcepart())
                : config.resource(s.jid().resourcepart()).host(other.host()).port(other.port());
        // The first attempt waits too, with jitter: after a server restart, its clients do not all return at once.
        long firstDelay = ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2, backoff.toMillis() * 3 / 2 + 1);
        reconnecting = Mono.delay(Duration.ofMillis(firstDelay))
                .then(Mono.defer(() -> userClosed.get() ? Mono.error(new IllegalStateException("closed"))
                        : openStream(again)))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, backoff).maxBackoff(config.reconnectMaxBackoff())
                        .jitter(0.5)
                        .filter(e -> !isLasting(e))
                        .doBeforeRetry(r -> log.debug("reconnect attempt {} failed: {}", r.totalRetries() + 1,
                                r.failure().toString())))
                .doOnNext(next -> log.info("{} online again", next))
                .subscribe(this::online, this::finish);
    }

    private void finish(@Nullable Throwable cause) {
        failPending(cause == null ? new IOException("the connection closed") : cause);
        states.tryEmitNext(ConnectionState.CLOSED);
        states.tryEmitComplete();
        synchronized (inboundLock) {
            MonoSink<Void> w = waitingSink;
            waitingSink = null;
            waitingStanza = null;
            if (w != null) {
                w.success();
            }
            if (cause == null) {
                inboundSink.tryEmitComplete();
            } else {
                inboundSink.tryEmitError(cause);
            }
        }
        if (cause == null) {
            closed.tryEmitEmpty();
        } else {
            closed.tryEmitError(cause);
        }
    }

    private void failPending(Throwable cause) {
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                e.getValue().response.tryEmitError(cause instanceof IOException ? cause
                        : new IOException("the stream ended: " + cause, cause));
            }
        }
    }

    // ---- inbound --------------------------------------------------------------------------------------------

    private Mono<Void> onStanza(ClientStream s, Stanza stanza) {
        lastActivity = System.currentTimeMillis();
        if (stanza instanceof Iq iq && !iq.isRequest()) {
            completeRequest(s, iq);
            return Mono.empty();
        }
        StanzaRoute route = config.route();
        Mono<Boolean> routed = route == null ? Mono.just(Boolean.FALSE)
                : Mono.defer(() -> route.route(stanza, session))
                        .flatMap(handler -> Flux.<Stanza>from(handler.handle(stanza, session))
                                .doOnNext(s::write)
                                .then(Mono.just(Boolean.TRUE)))
                        .defaultIfEmpty(Boolean.FALSE)
                        .onErrorResume(e -> {
                            StanzaError error = e instanceof StanzaErrorException se ? se.error()
                                    : StanzaError.of(StanzaError.Condition.INTERNAL_SERVER_ERROR);
                            if (!(e instanceof StanzaErrorException)) {
                                log.warn("route failed for {}", stanza, e);
                            }
                            answerError(s, stanza, error);
                            return Mono.just(Boolean.TRUE);
                        });
        return routed.flatMap(taken -> {
            if (taken) {
                return Mono.empty();
            }
            if (stanza instanceof Iq iq) {
                // RFC 6120 8.2.3: every get or set is answered; nobody here offers this one.
                answerError(s, iq, SERVICE_UNAVAILABLE);
                return Mono.empty();
            }
            return emit(stanza);
        });
    }

    private static void answerError(ClientStream s, Stanza stanza, StanzaError error) {
        if (!stanza.isError()) {
            s.write(stanza.errorReply(error));
        }
    }

    private void completeRequest(ClientStream s, Iq response) {
        Pending p = pending.get(response.id());
        if (p == null || !p.answeredBy(response.from(), s.jid())) {
            log.debug("dropped an unexpected IQ response {} from {}", response.id(), response.from());
            return;
        }
        if (pending.remove(response.id(), p)) {
            if (response.type() == Iq.Type.ERROR) {
                StanzaError error = response.error();
                p.response.tryEmitError(new StanzaErrorException(error == null
                        ? StanzaError.of(StanzaError.Condition.UNDEFINED_CONDITION) : error));
            } else {
                p.response.tryEmitValue(response);
            }
        }
    }

    /** Hands a stanza to the subscribers; completes when it is buffered (or dropped: nobody subscribed). */
    private Mono<Void> emit(Stanza stanza) {
        synchronized (inboundLock) {
            if (inboundSink.currentSubscriberCount() == 0) {
                log.debug("no subscriber: dropped {}", stanza);
                return Mono.empty();
            }
            Sinks.EmitResult r = inboundSink.tryEmitNext(stanza);
            if (r != Sinks.EmitResult.FAIL_OVERFLOW) {
                return Mono.empty();
            }
            return Mono.create(sink -> {
                synchronized (inboundLock) {
                    waitingStanza = stanza;
                    waitingSink = sink;
                }
                pollWaiting();
            });
        }
    }

    /**
     * Retries the waiting stanza until it fits. Requests wake it at once; the poll (every {@value #POLL_MILLIS} ms,
     * only while a stanza waits) covers a request that raced with the sink's drain.
     */
    private void pollWaiting() {
        if (retryWaiting()) {
            Schedulers.parallel().schedule(this::pollWaiting, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Tries to emit the waiting stanza; whether one still waits. */
    private boolean retryWaiting() {
        MonoSink<Void> done = null;
        synchronized (inboundLock) {
            Stanza s = waitingStanza;
            if (s == null) {
                return false;
            }
            if (inboundSink.currentSubscriberCount() == 0 || inboundSink.tryEmitNext(s).isSuccess()) {
                done = waitingSink;
                waitingStanza = null;
                waitingSink = null;
            }
        }
        if (done != null) {
            done.success();
            return false;
        }
        return true;
    }

    private void readIdle(ClientStream s) {
        Iq ping = Iq.get(XmlElement.empty(PING_NS, "ping")).to(DomainJid.of(config.domain())).id(nextId()).build();
        request(ping, config.requestTimeout())
                .subscribe(pong -> { }, e -> {
                    if (e instanceof StanzaErrorException) {
                        return; // an error answer still proves the server is there
                    }
                    log.info("{}: no answer to a ping ({}); ending the stream", s, e.toString());
                    s.abort(StreamError.of(StreamError.Condition.CONNECTION_TIMEOUT), e).subscribe();
                });
    }

    /** A request waiting for its response. */
    private record Pending(@Nullable Jid to, Sinks.One<Iq> response) {
        /** RFC 6120 8.1.2.1: the response comes from where the request went; without 'to', from the account. */
        boolean answeredBy(@Nullable Jid from, FullJid self) {
            if (to == null) {
                return from == null || from.equals(self.asBareJid()) || from.equals(self)
                        || (from.localpart() == null && from.domainpart().equals(self.domainpart()));
            }
            return to.equals(from) || (from == null && to.equals(self.asBareJid()));
        }
    }

    private final class Listener implements ClientStream.Listener {
        @Override
        public Mono<Void> onStanza(Stanza stanza) {
            ClientStream s = stream;
            return s == null ? Mono.empty() : XmppConnection.this.onStanza(s, stanza);
        }

        @Override
        public void onReadIdle(ClientStream s) {
            readIdle(s);
        }

        @Override
        public void onEnded(ClientStream s, @Nullable Throwable cause) {
            lost(s, cause);
        }
    }

    /** The connection as the routes see it: the client's end of the stream. */
    private final class Session implements XmppSession {
        @Override
        public FullJid jid() {
            return XmppConnection.this.jid();
        }

        @Override
        public String streamId() {
            return current().streamId();
        }

        @Override
        public boolean isSecure() {
            return XmppConnection.this.isSecure();
        }

        @Override
        public Instant lastActivity() {
            return Instant.ofEpochMilli(lastActivity);
        }

        @Override
        public boolean deliver(Stanza stanza) {
            ClientStream s = stream;
            return s != null && s.write(stanza);
        }

        @Override
        public void close(StreamError error) {
            userClosed.set(true);
            ClientStream s = stream;
            if (s != null) {
                s.abort(error, new StreamErrorException(error)).subscribe();
            }
        }

        @Override
        public void close() {
            XmppConnection.this.close().subscribe();
        }

        @Override
        public Mono<Void> onClose() {
            return closed.asMono();
        }
    }
}
