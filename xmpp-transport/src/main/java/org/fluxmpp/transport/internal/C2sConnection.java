package org.fluxmpp.transport.internal;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fluxmpp.codec.StreamEvent;
import org.fluxmpp.codec.StreamHeader;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.DomainJid;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.routing.StanzaRouter;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.transport.SaslMechanism;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.internal.sasl.AnonymousServer;
import org.fluxmpp.transport.internal.sasl.ChannelBinding;
import org.fluxmpp.transport.internal.sasl.PlainServer;
import org.fluxmpp.transport.internal.sasl.SaslServer;
import org.fluxmpp.transport.internal.sasl.SaslStep;
import org.fluxmpp.transport.internal.sasl.ScramServer;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.SaslCondition;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.NettyPipeline;

/**
 * One client-to-server stream on one connection (RFC 6120): the negotiation state machine (stream header,
 * STARTTLS, SASL, resource binding) and, once bound, the session that hands stanzas to the router. The same machine
 * serves TCP and WebSocket (RFC 7395); a {@link StreamFraming} is all that differs.
 *
 * <p>Inbound stream events are processed one at a time ({@code concatMap} with a prefetch of one), so a stanza is
 * fully handed on before the next is read; reading follows that demand. All state below is touched only by that
 * sequential processing, on the channel's event loop; results of asynchronous steps (credential lookups, the
 * router's bind) are brought back to the event loop before they touch it. Output of every kind goes through the one
 * {@link OutboundQueue}, which keeps negotiation output and stanzas in order.
 */
public final class C2sConnection implements XmppSession {

    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = SaslCondition.NAMESPACE;
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";
    static final String STREAM_NS = StreamError.STREAM_NAMESPACE;
    static final String CLIENT_NS = Stanza.CLIENT_NAMESPACE;
    static final String SASL_CB_NS = "urn:xmpp:sasl-cb:0";

    /** How long an ending stream may take to flush its last words to a peer that does not read. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(C2sConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object CLOSE = new Object();

    private enum State { AWAIT_HEADER, NEGOTIATING, CLOSED }

    private final XmppServer config;
    private final NettyInbound in;
    private final NettyOutbound out;
    private final Connection connection;
    private final Channel channel;
    private final StanzaRouter router;
    private final CredentialStore credentials;
    private final OutboundQueue queue;
    private final StreamFraming framing;
    private final ServerMetrics metrics;
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final AtomicBoolean ending = new AtomicBoolean();

    private volatile State state = State.AWAIT_HEADER;
    private volatile boolean headerSent;
    private String streamId = newId(16);
    private String domain;
    private @Nullable String lang;
    private volatile boolean secure;
    private volatile @Nullable BareJid account;
    private volatile @Nullable FullJid jid;
    private volatile boolean bound;
    private @Nullable SaslServer sasl;
    private @Nullable SaslMechanism saslMechanism;
    private int saslFailures;
    private volatile long lastActivity = System.currentTimeMillis();
    private @Nullable Disposable negotiationTimeout;
    private @Nullable Disposable inbound;
    private @Nullable ChannelBinding channelBinding;

    /**
     * A stream on this connection, configured by this server.
     *
     * @param secure  whether the connection is already TLS (direct TLS, XEP-0368, or {@code wss}), so no STARTTLS
     *                is offered
     * @param framing how the stream travels on this connection
     * @param metrics the server's meters
     */
    public C2sConnection(XmppServer config, NettyInbound in, NettyOutbound out, boolean secure,
                         StreamFraming framing, ServerMetrics metrics) {
        this.config = config;
        this.in = in;
        this.out = out;
        Connection[] c = new Connection[1];
        in.withConnection(conn -> c[0] = conn);
        this.connection = Objects.requireNonNull(c[0], "connection");
        this.channel = connection.channel();
        this.router = Objects.requireNonNull(config.router(), "router");
        this.credentials = Objects.requireNonNull(config.sasl().credentials(), "credentials");
        this.queue = new OutboundQueue(config.outboundCapacity(), this::undelivered);
        this.domain = config.domains().get(0);
        this.secure = secure;
        this.framing = framing;
        this.metrics = metrics;
    }

    /** Runs the stream; the connection lives as long as the returned publisher. */
    public Publisher<Void> run() {
        metrics.connectionOpened(framing.transport());
        negotiationTimeout = Mono.delay(config.negotiationTimeout())
                .subscribe(t -> fail(StreamError.of(StreamError.Condition.CONNECTION_TIMEOUT)
                        .withText("stream negotiation did not finish in time")));
        inbound = in.receiveObject()
                .concatMap(this::onInbound, 1)
                .subscribe(null, this::onInboundError, this::onInboundComplete);
        return out.sendObject(Flux.from(queue).map(this::encode))
                .then()
                .doFinally(signal -> cleanup());
    }

    // ---- XmppSession ----------------------------------------------------------------------------------------

    @Override
    public FullJid jid() {
        FullJid j = jid;
        if (j == null) {
            throw new IllegalStateException("no resource bound yet");
        }
        return j;
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public Instant lastActivity() {
        return Instant.ofEpochMilli(lastActivity);
    }

    @Override
    public boolean deliver(Stanza stanza) {
        if (queue.offer(stanza)) {
            return true;
        }
        if (!queue.isClosed()) {
            // Overflow policy: the peer is not reading fast enough; end its stream rather than grow memory.
            queue.clearStanzas();
            fail(StreamError.of(StreamError.Condition.POLICY_VIOLATION)
                    .withText("too many stanzas waiting to be sent (" + config.outboundCapacity() + ")"));
        }
        return false;
    }

    @Override
    public void close(StreamError error) {
        fail(error);
    }

    @Override
    public void close() {
        if (ending.compareAndSet(false, true)) {
            onLoop(() -> {
                state = State.CLOSED;
                queue.offerControl(CLOSE);
                queue.complete();
                scheduleHardClose();
            });
        }
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    /** The account this stream authenticated as, or {@code null} before SASL succeeds. */
    @Nullable BareJid account() {
        return account;
    }

    /** The stanzas waiting in this stream's outbound queue. */
    int queuedStanzas() {
        return queue.size();
    }

    @Override
    public String toString() {
        FullJid j = jid;
        return "C2sConnection[" + streamId + (j == null ? "" : ", " + j) + "]";
    }

    // ---- inbound --------------------------------------------------------------------------------------------

    private Mono<Void> onInbound(Object event) {
        if (state == State.CLOSED) {
            return Mono.empty();
        }
        try {
            if (event instanceof StreamErrorException e) {
                fail(e.error());
                return Mono.empty();
            }
            if (event instanceof StreamEvent.Open open) {
                onOpen(open.header());
                return Mono.empty();
            }
            if (event instanceof StreamEvent.Close) {
                close();
                return Mono.empty();
            }
            if (event instanceof StreamEvent.Element element) {
                if (state == State.AWAIT_HEADER) {
                    // Only WebSocket can get here: its messages are parsed without a header, TCP's are not.
                    throw new StreamErrorException(StreamError.Condition.BAD_FORMAT, "open the stream first");
                }
                return onElement(element.element()).onErrorResume(this::onProcessingError);
            }
            return Mono.empty();
        } catch (RuntimeException e) {
            return onProcessingError(e);
        }
    }

    private Mono<Void> onProcessingError(Throwable e) {
        if (e instanceof StreamErrorException se) {
            fail(se.error());
        } else {
            log.warn("Internal error on {}", this, e);
            fail(StreamError.of(StreamError.Condition.INTERNAL_SERVER_ERROR));
        }
        return Mono.empty();
    }

    private void onInboundError(Throwable e) {
        log.debug("Inbound failed on {}: {}", this, e.toString());
        queue.complete();
    }

    private void onInboundComplete() {
        // The peer closed TCP (or TLS): nothing more can be said on this stream.
        state = State.CLOSED;
        queue.complete();
    }

    private void onOpen(StreamHeader header) {
        streamId = newId(16);
        String to = header.to();
        DomainJid requested = to == null ? null : toDomain(to);
        if (requested != null) {
            domain = requested.domainpart();
        }
        lang = header.lang();
        sendHeader(header);
        if (requested == null || !config.domains().contains(requested.domainpart())) {
            throw new StreamErrorException(StreamError.Condition.HOST_UNKNOWN,
                    to == null ? "the stream header has no 'to'" : "this server does not serve " + to);
        }
        if (!CLIENT_NS.equals(header.contentNamespace())) {
            throw new StreamErrorException(StreamError.Condition.INVALID_NAMESPACE,
                    "the content namespace of a client stream is " + CLIENT_NS);
        }
        if (!supportedVersion(header.version())) {
            throw new StreamErrorException(StreamError.Condition.UNSUPPORTED_VERSION, "this server speaks 1.0");
        }
        if (!secure && !framing.offersStartTls() && config.tlsRequired()) {
            // WebSocket has no STARTTLS (RFC 7395): security is the wss URI's, and this connection has none.
            throw new StreamErrorException(StreamError.Condition.POLICY_VIOLATION,
                    "TLS is required: connect with wss");
        }
        state = State.NEGOTIATING;
        queue.offerControl(features());
    }

    private void sendHeader(@Nullable StreamHeader request) {
        String from = request == null ? null : request.from();
        // RFC 6120 4.7.2: echo the client's 'from' as 'to' only when it is a valid address.
        String to = from != null && Jid.parseOrNull(from) != null ? from : null;
        queue.offerControl(StreamHeader.of(CLIENT_NS, domain, to, streamId, "1.0", lang == null ? "en" : lang));
        headerSent = true;
    }

    private static @Nullable DomainJid toDomain(String to) {
        try {
            return DomainJid.of(to);
        } catch (JidFormatException e) {
            return null;
        }
    }

    private static boolean supportedVersion(@Nullable String version) {
        if (version == null) {
            return false; // RFC 6120 4.7.5: no version means 0.9
        }
        int dot = version.indexOf('.');
        try {
            int major = Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
            return major >= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private XmlElement features() {
        XmlElement.Builder f = XmlElement.builder(STREAM_NS, "features");
        ServerTls tls = config.tls();
        if (!secure && tls != null && framing.offersStartTls()) {
            XmlElement.Builder starttls = XmlElement.builder(TLS_NS, "starttls");
            if (config.tlsRequired()) {
                starttls.child(XmlElement.empty(TLS_NS, "required"));
            }
            f.child(starttls.build());
            if (config.tlsRequired()) {
                return f.build();
            }
        }
        if (account == null) {
            XmlElement.Builder mechanisms = XmlElement.builder(SASL_NS, "mechanisms");
            List<SaslMechanism> offered = offeredMechanisms();
            for (SaslMechanism m : offered) {
                mechanisms.child(XmlElement.builder(SASL_NS, "mechanism").text(m.mechanismName()).build());
            }
            f.child(mechanisms.build());
            if (offered.stream().anyMatch(SaslMechanism::channelBinding)) {
                // XEP-0440: say which bindings -PLUS may use, so a client can pick one we support.
                XmlElement.Builder cb = XmlElement.builder(SASL_CB_NS, "sasl-channel-binding");
                for (String type : channelBinding().types()) {
                    cb.child(XmlElement.builder(SASL_CB_NS, "channel-binding").attribute("type", type).build());
                }
                f.child(cb.build());
            }
        } else if (!bound) {
            f.child(XmlElement.empty(BIND_NS, "bind"));
            // RFC 3921's session establishment, kept as an optional no-op because many clients still send it.
            f.child(XmlElement.builder(SESSION_NS, "session").child(XmlElement.empty(SESSION_NS, "optional"))
                    .build());
        }
        return f.build();
    }

    private List<SaslMechanism> offeredMechanisms() {
        boolean bindable = secure && channelBinding().available();
        return config.sasl().mechanisms().stream()
                .filter(m -> secure || !m.needsTls())
                .filter(m -> bindable || !m.channelBinding())
                .toList();
    }

    /** The TLS channel's bindings, for SCRAM -PLUS; none before TLS. */
    private ChannelBinding channelBinding() {
        ChannelBinding cb = channelBinding;
        if (cb == null) {
            SslHandler ssl = secure ? channel.pipeline().get(SslHandler.class) : null;
            ServerTls tls = config.tls();
            if (ssl == null || tls == null) {
                return ChannelBinding.NONE;
            }
            cb = ChannelBinding.of(tls.certificate(), ssl.engine().getSession());
            channelBinding = cb;
        }
        return cb;
    }

    private Mono<Void> onElement(XmlElement e) {
        if (bound) {
            return onStanza(e);
        }
        String ns = e.namespace();
        if (ns.equals(TLS_NS) && e.localName().equals("starttls")) {
            onStartTls();
            return Mono.empty();
        }
        if (ns.equals(SASL_NS)) {
            return onSasl(e);
        }
        if (account != null && ns.equals(CLIENT_NS) && e.localName().equals("iq")) {
            return onNegotiationIq(e);
        }
        if (Stanza.isStanza(e)) {
            throw new StreamErrorException(StreamError.Condition.NOT_AUTHORIZED,
                    account == null ? "authenticate first" : "bind a resource first");
        }
        throw new StreamErrorException(StreamError.Condition.UNSUPPORTED_STANZA_TYPE,
                "unexpected element " + e.name());
    }

    // ---- STARTTLS (RFC 6120 section 5) ----------------------------------------------------------------------

    private void onStartTls() {
        ServerTls tls = config.tls();
        if (!framing.offersStartTls()) {
            throw new StreamErrorException(StreamError.Condition.POLICY_VIOLATION,
                    "no STARTTLS on WebSocket (RFC 7395): connect with wss");
        }
        if (secure || account != null) {
            throw new StreamErrorException(StreamError.Condition.POLICY_VIOLATION,
                    secure ? "TLS is already in place" : "STARTTLS must come before SASL");
        }
        if (tls == null) {
            // RFC 6120 5.4.2.2: failure, then close the stream.
            state = State.CLOSED;
            ending.set(true);
            queue.offerControl(XmlElement.empty(TLS_NS, "failure"));
            queue.offerControl(CLOSE);
            queue.complete();
            return;
        }
        // The handler goes in before <proceed/> is written; startTls=true lets that one write pass in clear.
        SslHandler ssl = new SslHandler(tls.sslContext().newEngine(channel.alloc()), true);
        channel.pipeline().addFirst(NettyPipeline.SslHandler, ssl);
        framing.restart(channel);
        secure = true;
        awaitRestart();
        queue.offerControl(XmlElement.empty(TLS_NS, "proceed"));
    }

    /** The stream restarts (RFC 6120 4.3.3): the next header opens a new stream, which needs its own header. */
    private void awaitRestart() {
        state = State.AWAIT_HEADER;
        headerSent = false;
    }

    // ---- SASL (RFC 6120 section 6) --------------------------------------------------------------------------

    private Mono<Void> onSasl(XmlElement e) {
        if (account != null) {
            throw new StreamErrorException(StreamError.Condition.POLICY_VIOLATION, "already authenticated");
        }
        if (!secure && config.tlsRequired()) {
            saslFailure(SaslCondition.ENCRYPTION_REQUIRED, "negotiate TLS first");
            return Mono.empty();
        }
        switch (e.localName()) {
            case "auth" -> {
                String name = e.attribute("mechanism");
                SaslMechanism mechanism = name == null ? null : SaslMechanism.fromName(name);
                saslMechanism = mechanism;
                List<SaslMechanism> configured = config.sasl().mechanisms();
                if (mechanism == null) {
                    saslFailure(SaslCondition.INVALID_MECHANISM, null);
                    return Mono.empty();
                }
                if (!configured.contains(mechanism)) {
                    // A mechanism we know but left out because stronger ones are configured is "too weak".
                    boolean weaker = configured.stream().allMatch(m -> m.ordinal() < mechanism.ordinal());
                    saslFailure(weaker ? SaslCondition.MECHANISM_TOO_WEAK : SaslCondition.INVALID_MECHANISM, null);
                    return Mono.empty();
                }
                if (mechanism.needsTls() && !secure) {
                    saslFailure(SaslCondition.ENCRYPTION_REQUIRED, mechanism.mechanismName()
                            + " is offered only inside TLS");
                    return Mono.empty();
                }
                if (!offeredMechanisms().contains(mechanism)) {
                    saslFailure(SaslCondition.INVALID_MECHANISM, "not offered on this stream");
                    return Mono.empty();
                }
                byte[] data = decodeSaslData(e);
                if (data == null) {
                    return Mono.empty();
                }
                var hash = mechanism.scramHash();
                boolean plusOffered = offeredMechanisms().stream().anyMatch(SaslMechanism::channelBinding);
                SaslServer server = hash != null
                        ? new ScramServer(hash, mechanism.channelBinding(), channelBinding(), plusOffered, domain,
                                credentials)
                        : mechanism == SaslMechanism.ANONYMOUS ? new AnonymousServer(domain)
                        : new PlainServer(domain, credentials);
                sasl = server;
                return evaluate(server, data);
            }
            case "response" -> {
                SaslServer server = sasl;
                if (server == null) {
                    saslFailure(SaslCondition.MALFORMED_REQUEST, "no exchange in progress");
                    return Mono.empty();
                }
                byte[] data = decodeSaslData(e);
                return data == null ? Mono.empty() : evaluate(server, data);
            }
            case "abort" -> {
                saslFailure(SaslCondition.ABORTED, null);
                return Mono.empty();
            }
            default -> throw new StreamErrorException(StreamError.Condition.UNSUPPORTED_STANZA_TYPE,
                    "unexpected SASL element " + e.localName());
        }
    }

    private byte @Nullable [] decodeSaslData(XmlElement e) {
        String text = e.text().strip();
        if (text.isEmpty() || text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException ex) {
            saslFailure(SaslCondition.INCORRECT_ENCODING, null);
            return null;
        }
    }

    private Mono<Void> evaluate(SaslServer server, byte[] data) {
        return server.evaluate(data)
                .flatMap(this::onLoop)
                .doOnNext(step -> {
                    if (step instanceof SaslStep.Challenge c) {
                        queue.offerControl(saslElement("challenge", c.data()));
                    } else if (step instanceof SaslStep.Success s) {
                        metrics.loginSucceeded(Objects.requireNonNull(saslMechanism));
                        sasl = null;
                        account = s.account();
                        framing.restart(channel);
                        awaitRestart();
                        queue.offerControl(saslElement("success", s.additionalData()));
                    } else if (step instanceof SaslStep.Failure f) {
                        saslFailure(f.condition(), f.text());
                    }
                })
                .then();
    }

    private static XmlElement saslElement(String name, byte[] data) {
        XmlElement.Builder b = XmlElement.builder(SASL_NS, name);
        if (data.length > 0) {
            b.text(Base64.getEncoder().encodeToString(data));
        }
        return b.build();
    }

    private void saslFailure(SaslCondition condition, @Nullable String text) {
        metrics.loginFailed(saslMechanism, condition);
        sasl = null;
        XmlElement.Builder failure = XmlElement.builder(SASL_NS, "failure")
                .child(XmlElement.empty(SASL_NS, condition.elementName()));
        if (text != null) {
            failure.child(XmlElement.builder(SASL_NS, "text").text(text).build());
        }
        queue.offerControl(failure.build());
        if (++saslFailures >= config.sasl().maxAttempts()) {
            // RFC 6120 6.4.5: after the allowed retries, end the stream.
            fail(StreamError.of(StreamError.Condition.POLICY_VIOLATION).withText("too many failed authentications"));
        }
    }

    // ---- resource binding (RFC 6120 section 7) --------------------------------------------------------------

    private Mono<Void> onNegotiationIq(XmlElement e) {
        Iq iq = parseIq(e);
        if (iq == null) {
            return Mono.empty();
        }
        XmlElement payload = iq.payload();
        if (iq.type() == Iq.Type.SET && payload != null && payload.is(BIND_NS, "bind")) {
            return bind(iq, payload);
        }
        if (iq.type() == Iq.Type.SET && payload != null && payload.is(SESSION_NS, "session")) {
            queue.offerControl(iq.result().element());
            return Mono.empty();
        }
        throw new StreamErrorException(StreamError.Condition.NOT_AUTHORIZED, "bind a resource first");
    }

    private Mono<Void> bind(Iq iq, XmlElement payload) {
        BareJid bare = Objects.requireNonNull(account);
        String requested = payload.childText(new javax.xml.namespace.QName(BIND_NS, "resource"));
        FullJid full;
        try {
            full = bare.withResource(requested == null || requested.isBlank() ? newId(12) : requested);
        } catch (JidFormatException ex) {
            queue.offerControl(iq.error(StanzaError.of(StanzaError.Condition.BAD_REQUEST, ex.getMessage()))
                    .element());
            return Mono.empty();
        }
        jid = full;
        return router.bind(this)
                .then(Mono.defer(() -> onLoop(Boolean.TRUE)))
                .doOnNext(ok -> {
                    bound = true;
                    metrics.sessionBound(framing.transport());
                    lastActivity = System.currentTimeMillis();
                    Disposable t = negotiationTimeout;
                    if (t != null) {
                        t.dispose();
                    }
                    XmlElement result = XmlElement.builder(BIND_NS, "bind")
                            .child(XmlElement.builder(BIND_NS, "jid").text(full.toString()).build()).build();
                    queue.offerControl(iq.result(result).element());
                })
                .onErrorResume(StanzaErrorException.class, ex -> Mono.defer(() -> onLoop(Boolean.TRUE)).doOnNext(x -> {
                    jid = null;
                    queue.offerControl(iq.error(ex.error()).element());
                }))
                .then();
    }

    // ---- stanzas of a bound session (RFC 6120 section 8) ----------------------------------------------------

    private Mono<Void> onStanza(XmlElement e) {
        if (!Stanza.isStanza(e) || !e.namespace().equals(CLIENT_NS)) {
            throw new StreamErrorException(StreamError.Condition.UNSUPPORTED_STANZA_TYPE,
                    "not a stanza: " + e.name());
        }
        FullJid self = jid();
        String from = e.attribute("from");
        if (from != null) {
            // RFC 6120 8.1.2.1: a client may only name itself; the server stamps the full JID regardless.
            Jid claimed = Jid.parseOrNull(from);
            if (claimed == null || !(claimed.equals(self) || claimed.equals(self.asBareJid()))) {
                throw new StreamErrorException(StreamError.Condition.INVALID_FROM, "'from' must be " + self);
            }
        }
        lastActivity = System.currentTimeMillis();
        metrics.stanzaIn(e);
        Stanza stanza;
        if (e.localName().equals("iq")) {
            Iq iq = parseIq(e);
            if (iq == null) {
                return Mono.empty();
            }
            XmlElement payload = iq.payload();
            if (iq.type() == Iq.Type.SET && payload != null && iq.to() == null) {
                if (payload.is(SESSION_NS, "session")) {
                    queue.offerControl(iq.result().element());
                    return Mono.empty();
                }
                if (payload.is(BIND_NS, "bind")) {
                    queue.offerControl(iq.error(StanzaError.of(StanzaError.Condition.NOT_ALLOWED,
                            "a resource is already bound")).element());
                    return Mono.empty();
                }
            }
            stanza = iq;
        } else {
            stanza = Stanza.of(e);
        }
        return router.route(stanza.withFrom(self), this);
    }

    /** Wraps an iq, answering {@code bad-request} (never to an error or result) when it breaks 8.2.3. */
    private @Nullable Iq parseIq(XmlElement e) {
        try {
            return Iq.of(e);
        } catch (IllegalArgumentException ex) {
            String type = e.attribute("type");
            if (!"error".equals(type) && !"result".equals(type)) {
                XmlElement reply = XmlElement.builder(CLIENT_NS, "iq")
                        .attribute("id", e.attribute("id"))
                        .attribute("type", "error")
                        .attribute("to", bound ? jid().toString() : null)
                        .child(StanzaError.of(StanzaError.Condition.BAD_REQUEST, ex.getMessage())
                                .toElement(CLIENT_NS))
                        .build();
                queue.offerControl(reply);
            }
            return null;
        }
    }

    // ---- output and ending ----------------------------------------------------------------------------------

    private Object encode(Object item) {
        if (item instanceof Stanza s) {
            metrics.stanzaOut(s.element());
            return framing.element(s.element(), channel.alloc());
        }
        if (item instanceof XmlElement e) {
            if (bound) {
                // Answers the session itself gives (bad-request, session, bind after binding) are stanzas too.
                metrics.stanzaOut(e);
            }
            return framing.element(e, channel.alloc());
        }
        if (item instanceof StreamHeader h) {
            return framing.header(h, channel.alloc());
        }
        return framing.close(channel.alloc());
    }

    private void fail(StreamError error) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        metrics.streamError(error);
        onLoop(() -> {
            log.debug("Ending {} with {}", this, error);
            state = State.CLOSED;
            if (!headerSent) {
                sendHeader(null);
            }
            queue.offerControl(error.toElement());
            queue.offerControl(CLOSE);
            queue.complete();
            scheduleHardClose();
        });
    }

    /**
     * Sends the client elsewhere and ends the stream: on TCP with {@code see-other-host} (RFC 6120 4.9.3.19); on
     * WebSocket, where RFC 7395 3.6.1 replaces that error, with {@code <close see-other-uri='...'/>}.
     */
    public void redirect(OpenStreams.Redirect to) {
        XmlElement close = framing.redirect(to);
        if (close == null) {
            fail(StreamError.seeOtherHost(to.otherHost()));
            return;
        }
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        metrics.streamError(StreamError.seeOtherHost(to.otherHost()));
        onLoop(() -> {
            log.debug("Sending {} elsewhere with {}", this, close);
            state = State.CLOSED;
            queue.offerControl(close);
            queue.complete();
            scheduleHardClose();
        });
    }

    /**
     * A stanza this session accepted but will never write (its queue overflowed, or the connection ended first):
     * the router takes it back and applies the delivery rules for a resource that is gone, so its sender hears
     * of it where RFC 6120 says so. Later, on the event loop: the caller may be another session's delivery, and
     * answering from inside it could recurse from session to session.
     */
    private void undelivered(Object stanza) {
        try {
            channel.eventLoop().execute(() -> router.undeliverable((Stanza) stanza, this));
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down with the whole server: every session is ending, nobody to tell.
            log.debug("{} not handed back: event loop shut down", stanza);
        }
    }

    private void scheduleHardClose() {
        // A peer that stops reading must not keep the connection (and its queue) alive forever.
        Mono.delay(CLOSE_GRACE).subscribe(t -> connection.dispose());
    }

    private void cleanup() {
        state = State.CLOSED;
        Disposable t = negotiationTimeout;
        if (t != null) {
            t.dispose();
        }
        Disposable i = inbound;
        if (i != null) {
            i.dispose();
        }
        if (bound) {
            router.unbind(this);
        }
        metrics.connectionClosed(framing.transport(), bound);
        closed.tryEmitEmpty();
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    private <T> Mono<T> onLoop(T value) {
        if (channel.eventLoop().inEventLoop()) {
            return Mono.just(value);
        }
        return Mono.create(sink -> channel.eventLoop().execute(() -> sink.success(value)));
    }

    private static String newId(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

}
