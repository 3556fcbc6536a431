package org.fluxmpp.transport.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.fluxmpp.codec.StreamEvent;
import org.fluxmpp.codec.StreamHeader;
import org.fluxmpp.codec.XmppStreamEncoder;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.transport.SaslFailureException;
import org.fluxmpp.transport.SaslMechanism;
import org.fluxmpp.transport.XmppClient;
import org.fluxmpp.transport.internal.StreamDecoderHandler;
import org.fluxmpp.transport.internal.sasl.ChannelBinding;
import org.fluxmpp.transport.internal.sasl.ScramClient;
import org.fluxmpp.transport.sasl.SaslCondition;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.tcp.TcpClient;

/**
 * One client stream on one TCP connection (RFC 6120): connect, stream header, STARTTLS or direct TLS, SASL, stream
 * restarts, resource binding and the optional legacy session; then the living stream, whose stanzas go to a
 * {@link Listener}, with whitespace keepalives and a read-idle signal; and the closing handshake of section 4.4.
 *
 * <p>Everything runs on the connection's event loop or in reactive callbacks; nothing blocks. Reading follows
 * demand: the next event is read only when the previous one was handled ({@link EventReader}).
 */
public final class ClientStream {

    /** What a living stream tells its owner. */
    public interface Listener {
        /** A stanza arrived; the next is read when the returned {@code Mono} completes. */
        Mono<Void> onStanza(Stanza stanza);

        /** Nothing arrived for the read-idle time: the owner checks that the server is still there. */
        void onReadIdle(ClientStream stream);

        /** The stream ended: {@code null} when the client closed it, else why. Called once. */
        void onEnded(ClientStream stream, @Nullable Throwable cause);
    }

    static final String CLIENT_NS = StreamHeader.CLIENT_NAMESPACE;
    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";
    static final String SASL_CB_NS = "urn:xmpp:sasl-cb:0";

    private static final Logger log = LoggerFactory.getLogger(ClientStream.class);
    private static final XmppStreamEncoder ENCODER = new XmppStreamEncoder();
    /** How long the closing handshake waits for the server's {@code </stream:stream>} before closing TCP. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final XmppClient config;
    private final String password;
    private final ConnectTarget target;
    private final Connection connection;
    private final Channel channel;
    private final EventReader reader = new EventReader();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Sinks.Empty<Void> serverClosed = Sinks.empty();
    private volatile @Nullable Listener listener;
    private volatile boolean secure;
    private volatile @Nullable FullJid jid;
    private volatile String streamId = "";
    private volatile SaslMechanism mechanism = SaslMechanism.PLAIN;
    private volatile @Nullable String channelBindingType;
    private final AtomicBoolean ended = new AtomicBoolean();

    private ClientStream(XmppClient config, String password, ConnectTarget target, Connection connection) {
        this.config = config;
        this.password = password;
        this.target = target;
        this.connection = connection;
        this.channel = connection.channel();
    }

    /**
     * Connects to one target and negotiates the stream up to a bound resource.
     *
     * @return the stream, online; signals {@link SaslFailureException}, {@link StreamErrorException},
     *         {@link StanzaErrorException} (binding refused), {@link javax.net.ssl.SSLException} (TLS, including
     *         a certificate that is not trusted or does not name the domain), or an I/O error
     */
    public static Mono<ClientStream> open(XmppClient config, String password, ConnectTarget target) {
        // A connection of its own (not from reactor-netty's pool): an XMPP stream lives as long as its session.
        return TcpClient.newConnection()
                .host(target.host())
                .port(target.port())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .doOnChannelInit((observer, ch, address) -> {
                    if (target.directTls()) {
                        // XEP-0368: TLS from the first byte; the certificate must name the XMPP domain.
                        ch.pipeline().addFirst(NettyPipeline.SslHandler, config.tls().sslContext(true)
                                .newHandler(ch.alloc(), config.domain(), target.port()));
                    }
                })
                .doOnConnected(c -> c.addHandlerLast(StreamDecoderHandler.NAME,
                        new StreamDecoderHandler(config.limits())))
                .connect()
                .flatMap(c -> {
                    ClientStream s = new ClientStream(config, password, target, c);
                    return s.negotiate()
                            .timeout(config.connectTimeout(), Mono.error(() -> new java.util.concurrent
                                    .TimeoutException("stream negotiation with " + target + " took longer than "
                                    + config.connectTimeout())))
                            .doOnError(e -> c.dispose())
                            .doOnCancel(c::dispose)
                            .thenReturn(s);
                });
    }

    /** The full JID the server bound. */
    public FullJid jid() {
        FullJid j = jid;
        if (j == null) {
            throw new IllegalStateException("not bound");
        }
        return j;
    }

    /** The id the server gave the stream (RFC 6120 4.7.3), or empty. */
    public String streamId() {
        return streamId;
    }

    /** The channel-binding type of a -PLUS mechanism ({@code tls-exporter}, {@code tls-server-end-point}), or null. */
    public @Nullable String channelBinding() {
        return channelBindingType;
    }

    /** The SASL mechanism the stream authenticated with. */
    public SaslMechanism saslMechanism() {
        return mechanism;
    }

    /** Whether the stream is protected by TLS. */
    public boolean isSecure() {
        return secure;
    }

    /** Where this stream connected. */
    public ConnectTarget target() {
        return target;
    }

    /**
     * Starts handing stanzas to the listener and arms keepalives; call once, after {@link #open}.
     */
    public void start(Listener l) {
        listener = l;
        channel.pipeline().addBefore(StreamDecoderHandler.NAME, "fluxmpp.idle", new IdleStateHandler(
                config.readTimeout().toMillis(), config.keepalive().toMillis(), 0, TimeUnit.MILLISECONDS));
        channel.pipeline().addAfter("fluxmpp.idle", "fluxmpp.keepalive", new Keepalive());
        connection.onDispose(() -> end(new java.io.IOException("connection closed")));
        reader.drainTo(this::onEvent, this::end);
    }

    /** Writes stanzas as the socket takes them. */
    public Mono<Void> send(Publisher<? extends Stanza> stanzas) {
        return connection.outbound()
                .sendObject(Flux.from(stanzas).map(s -> ENCODER.encode(s.element(), CLIENT_NS, channel.alloc())))
                .then();
    }

    /** Writes one stanza without waiting; {@code false} when the stream is closing or closed. */
    public boolean write(Stanza stanza) {
        if (closing.get() || !channel.isActive()) {
            return false;
        }
        write(stanza.element());
        return true;
    }

    /**
     * Closes the stream as RFC 6120 section 4.4 says: {@code </stream:stream>}, then waits (at most five seconds)
     * for the server's, then closes TCP.
     */
    public Mono<Void> close() {
        return close(null, null);
    }

    /**
     * Ends the stream with a stream error of the client's (RFC 6120 4.9), such as {@code connection-timeout} when
     * the server stopped answering; the listener hears {@code cause}.
     */
    public Mono<Void> abort(StreamError error, Throwable cause) {
        return close(error, cause);
    }

    private Mono<Void> close(@Nullable StreamError error, @Nullable Throwable cause) {
        return Mono.defer(() -> {
            if (closing.compareAndSet(false, true) && channel.isActive()) {
                if (error != null) {
                    write(error.toElement());
                }
                channel.writeAndFlush(ENCODER.encodeClose(channel.alloc()));
            }
            // The server's </stream:stream>, or the connection already gone: either ends the wait.
            return Mono.firstWithSignal(serverClosed.asMono(), connection.onDispose())
                    .timeout(CLOSE_WAIT, Mono.empty())
                    .then(Mono.fromRunnable(() -> {
                        end(cause);
                        connection.dispose();
                    }))
                    .then(connection.onDispose());
        });
    }

    // ---- negotiation ----------------------------------------------------------------------------------------

    private Mono<Void> negotiate() {
        connection.inbound().receiveObject().subscribe(reader);
        Mono<Void> tls = target.directTls() ? handshake() : Mono.empty();
        return tls.then(Mono.defer(this::openStream))
                .flatMap(this::startTls)
                .flatMap(this::authenticate)
                .flatMap(this::bind);
    }

    private Mono<Void> handshake() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return Mono.<Void>create(sink -> ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                secure = true;
                sink.success();
            } else {
                sink.error(f.cause());
            }
        }));
    }

    /** Sends a stream header, reads the server's and its stream features. */
    private Mono<XmlElement> openStream() {
        write(StreamHeader.of(CLIENT_NS, null, config.domain(), null, StreamHeader.VERSION, "en"));
        return nextEvent().flatMap(e -> {
            if (e instanceof StreamEvent.Open open) {
                String id = open.header().id();
                streamId = id == null ? "" : id;
            } else {
                return Mono.error(new StreamErrorException(StreamError.Condition.INVALID_XML,
                        "expected the server's stream header"));
            }
            return nextElement();
        }).flatMap(features -> features.is(StreamError.STREAM_NAMESPACE, "features") ? Mono.just(features)
                : Mono.error(new StreamErrorException(StreamError.Condition.UNSUPPORTED_STANZA_TYPE,
                        "expected stream features, got " + features.name())));
    }

    private Mono<XmlElement> startTls(XmlElement features) {
        if (secure) {
            return Mono.just(features);
        }
        XmlElement starttls = features.child(TLS_NS, "starttls");
        if (starttls == null) {
            if (config.tlsRequired()) {
                return Mono.error(new javax.net.ssl.SSLException("the server " + target
                        + " does not offer STARTTLS and TLS is required"));
            }
            return Mono.just(features);
        }
        if (!config.tlsRequired() && starttls.child(TLS_NS, "required") == null) {
            // Plaintext was asked for, and the server allows it.
            return Mono.just(features);
        }
        write(XmlElement.empty(TLS_NS, "starttls"));
        return nextElement().flatMap(answer -> {
            if (!answer.is(TLS_NS, "proceed")) {
                return Mono.error(new javax.net.ssl.SSLException("the server refused STARTTLS: " + answer.name()));
            }
            // RFC 6120 5.4.3.3: TLS starts right after <proceed/>; the server's next bytes are a TLS handshake.
            SslHandler ssl = config.tls().sslContext(false).newHandler(channel.alloc(), config.domain(),
                    target.port());
            channel.pipeline().addFirst(NettyPipeline.SslHandler, ssl);
            return handshake().then(Mono.defer(this::restart));
        });
    }

    /** A stream restart (RFC 6120 4.3.3): a fresh parser for the server's new stream, and a new header. */
    private Mono<XmlElement> restart() {
        decoderHandler().requestReset();
        return openStream();
    }

    private StreamDecoderHandler decoderHandler() {
        return (StreamDecoderHandler) channel.pipeline().get(StreamDecoderHandler.NAME);
    }

    private Mono<XmlElement> authenticate(XmlElement features) {
        XmlElement mechanisms = features.child(SASL_NS, "mechanisms");
        if (mechanisms == null) {
            return Mono.error(new SaslFailureException(null, "the server offers no SASL mechanism"));
        }
        List<String> offered = new ArrayList<>();
        for (XmlElement m : mechanisms.children()) {
            if (m.is(SASL_NS, "mechanism")) {
                offered.add(m.text().trim());
            }
        }
        ChannelBinding channelBinding = secure ? clientChannelBinding() : ChannelBinding.NONE;
        List<String> serverBindings = advertisedBindings(features);
        MechanismChoice choice;
        try {
            choice = MechanismChoice.choose(config.mechanisms(), offered, secure, channelBinding, serverBindings);
        } catch (SaslFailureException e) {
            return Mono.error(e);
        }
        log.debug("SASL with {} on {} (offered {})", choice.mechanism().mechanismName(), target, offered);
        return exchange(choice, channelBinding).then(Mono.defer(this::restart));
    }

    private static List<String> advertisedBindings(XmlElement features) {
        XmlElement cb = features.child(SASL_CB_NS, "sasl-channel-binding");
        if (cb == null) {
            return List.of();
        }
        List<String> types = new ArrayList<>();
        for (XmlElement t : cb.children()) {
            String type = t.attribute("type");
            if (t.is(SASL_CB_NS, "channel-binding") && type != null) {
                types.add(type);
            }
        }
        return types;
    }

    private ChannelBinding clientChannelBinding() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        SSLSession session = ssl.engine().getSession();
        try {
            Certificate[] peer = session.getPeerCertificates();
            return ChannelBinding.of((X509Certificate) peer[0], session);
        } catch (SSLPeerUnverifiedException e) {
            return ChannelBinding.NONE;
        }
    }

    private Mono<Void> exchange(MechanismChoice choice, ChannelBinding channelBinding) {
        SaslMechanism mechanism = choice.mechanism();
        this.mechanism = mechanism;
        this.channelBindingType = choice.bindingType();
        String username = config.jid().localpart();
        ScramClient scram;
        byte[] initial;
        if (mechanism == SaslMechanism.PLAIN) {
            scram = null;
            initial = ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
        } else {
            String type = choice.bindingType();
            scram = new ScramClient(mechanism.scramHash(), username, password, type,
                    type == null ? null : channelBinding.data(type), choice.couldBind());
            initial = scram.clientFirst();
        }
        write(XmlElement.builder(SASL_NS, "auth").attribute("mechanism", mechanism.mechanismName())
                .text(Base64.getEncoder().encodeToString(initial)).build());
        return saslStep(scram, false);
    }

    private Mono<Void> saslStep(@Nullable ScramClient scram, boolean sentFinal) {
        return nextElement().flatMap(e -> {
            if (e.is(SASL_NS, "challenge")) {
                byte[] data = decode(e);
                byte[] response;
                if (scram == null || sentFinal) {
                    // PLAIN has no challenge; after client-final SCRAM's server-final may come as a challenge.
                    if (scram != null) {
                        scram.verifyServerFinal(data);
                    }
                    response = new byte[0];
                } else {
                    response = scram.clientFinal(data);
                }
                write(XmlElement.builder(SASL_NS, "response")
                        .text(response.length == 0 ? "=" : Base64.getEncoder().encodeToString(response)).build());
                return saslStep(scram, scram != null);
            }
            if (e.is(SASL_NS, "success")) {
                byte[] data = decode(e);
                if (scram != null && (data.length > 0 || !sentFinal)) {
                    scram.verifyServerFinal(data);
                }
                return Mono.empty();
            }
            if (e.is(SASL_NS, "failure")) {
                SaslCondition condition = null;
                String text = null;
                for (XmlElement c : e.children()) {
                    if (c.localName().equals("text")) {
                        text = c.text();
                    } else if (condition == null) {
                        condition = SaslCondition.fromElementName(c.localName());
                    }
                }
                SaslCondition cond = condition == null ? SaslCondition.NOT_AUTHORIZED : condition;
                return Mono.error(new SaslFailureException(cond, "authentication failed: " + cond.elementName()
                        + (text == null ? "" : " (" + text + ")")));
            }
            return Mono.error(new StreamErrorException(StreamError.Condition.UNSUPPORTED_STANZA_TYPE,
                    "unexpected " + e.name() + " during SASL"));
        });
    }

    private static byte[] decode(XmlElement e) {
        String text = e.text().trim();
        if (text.isEmpty() || text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException ex) {
            throw new SaslFailureException(null, "invalid base64 from the server");
        }
    }

    private Mono<Void> bind(XmlElement features) {
        if (features.child(BIND_NS, "bind") == null) {
            return Mono.error(new StreamErrorException(StreamError.Condition.UNSUPPORTED_FEATURE,
                    "the server offers no resource binding"));
        }
        XmlElement.Builder bind = XmlElement.builder(BIND_NS, "bind");
        String resource = config.resource();
        if (resource != null) {
            bind.child(XmlElement.builder(BIND_NS, "resource").text(resource).build());
        }
        Iq request = Iq.set(bind.build()).id("bind-1").build();
        XmlElement session = features.child(SESSION_NS, "session");
        boolean sessionNeeded = session != null && session.child(SESSION_NS, "optional") == null;
        return iq(request).flatMap(result -> {
            XmlElement payload = result.payload();
            String text = payload == null ? null : payload.childText(new javax.xml.namespace.QName(BIND_NS, "jid"));
            Jid bound;
            try {
                bound = text == null ? null : Jid.parse(text.trim());
            } catch (JidFormatException e) {
                bound = null;
            }
            if (!(bound instanceof FullJid full)) {
                return Mono.error(new StreamErrorException(StreamError.Condition.UNDEFINED_CONDITION,
                        "the server bound no full JID: " + text));
            }
            jid = full;
            if (!sessionNeeded) {
                return Mono.empty();
            }
            // RFC 3921 section 3 (legacy): only when the server says it is not optional.
            return iq(Iq.set(XmlElement.empty(SESSION_NS, "session")).id("session-1").build()).then();
        });
    }

    /** A negotiation IQ: sends it and reads its response, which is the next element. */
    private Mono<Iq> iq(Iq request) {
        write(request.element());
        return nextElement().flatMap(e -> {
            Stanza s = Stanza.isStanza(e) ? Stanza.of(e) : null;
            if (!(s instanceof Iq response) || !request.id().equals(response.id())) {
                return Mono.error(new StreamErrorException(StreamError.Condition.UNSUPPORTED_STANZA_TYPE,
                        "expected the answer to " + request.id() + ", got " + e.name()));
            }
            if (response.type() == Iq.Type.ERROR) {
                StanzaError error = response.error();
                return Mono.error(new StanzaErrorException(error == null
                        ? StanzaError.of(StanzaError.Condition.UNDEFINED_CONDITION) : error));
            }
            return Mono.just(response);
        });
    }

    private Mono<Object> nextEvent() {
        return reader.next()
                .switchIfEmpty(Mono.error(() -> new java.io.IOException("the server closed the connection")))
                .flatMap(e -> e instanceof StreamErrorException ex ? onDecodeError(ex) : Mono.just(e));
    }

    /** The next element; a stream error or the end of the stream becomes the error it is. */
    private Mono<XmlElement> nextElement() {
        return nextEvent().flatMap(e -> {
            if (e instanceof StreamEvent.Element el) {
                XmlElement x = el.element();
                if (x.is(StreamError.STREAM_NAMESPACE, "error")) {
                    return Mono.error(new StreamErrorException(StreamError.fromElement(x)));
                }
                return Mono.just(x);
            }
            if (e instanceof StreamEvent.Close) {
                serverClosed.tryEmitEmpty();
                return Mono.error(new java.io.IOException("the server closed the stream"));
            }
            return Mono.error(new StreamErrorException(StreamError.Condition.INVALID_XML,
                    "unexpected stream header"));
        });
    }

    /** The server sent bad XML: the client answers with the stream error and ends the stream (RFC 6120 4.9). */
    private <T> Mono<T> onDecodeError(StreamErrorException e) {
        return close(e.error(), e).then(Mono.error(e));
    }

    // ---- the living stream ----------------------------------------------------------------------------------

    private Mono<Void> onEvent(Object event) {
        Listener l = listener;
        if (event instanceof StreamErrorException e) {
            return close(e.error(), e);
        }
        if (event instanceof StreamEvent.Close) {
            // RFC 6120 4.4: the server closes; answer with our own close unless we started it, then TCP goes.
            serverClosed.tryEmitEmpty();
            boolean ours = !closing.compareAndSet(false, true);
            if (!ours && channel.isActive()) {
                channel.writeAndFlush(ENCODER.encodeClose(channel.alloc()));
            }
            end(ours ? null : new java.io.IOException("the server closed the stream"));
            connection.dispose();
            return Mono.empty();
        }
        if (event instanceof StreamEvent.Element el) {
            XmlElement x = el.element();
            if (x.is(StreamError.STREAM_NAMESPACE, "error")) {
                StreamErrorException e = new StreamErrorException(StreamError.fromElement(x));
                end(e);
                return Mono.empty();
            }
            if (Stanza.isStanza(x) && l != null) {
                return l.onStanza(Stanza.of(x));
            }
            log.debug("ignored {} on {}", x.name(), this);
        }
        return Mono.empty();
    }

    private void end(@Nullable Throwable cause) {
        if (ended.compareAndSet(false, true)) {
            closing.set(true);
            Listener l = listener;
            if (l != null) {
                l.onEnded(this, cause);
            }
            connection.dispose();
        }
    }

    private void write(Object item) {
        ByteBuf buf;
        if (item instanceof XmlElement e) {
            buf = ENCODER.encode(e, CLIENT_NS, channel.alloc());
        } else {
            buf = ENCODER.encodeOpen((StreamHeader) item, channel.alloc());
        }
        channel.writeAndFlush(buf);
    }

    @Override
    public String toString() {
        FullJid j = jid;
        return "ClientStream[" + (j == null ? config.jid() : j) + " via " + target + "]";
    }

    /**
     * Whitespace keepalives (RFC 6120 4.6.1) when the client has written nothing for a while, and the read-idle
     * signal to the listener.
     */
    private final class Keepalive extends ChannelDuplexHandler {
        private final ByteBuf space = Unpooled.unreleasableBuffer(
                Unpooled.wrappedBuffer(new byte[] {' '}).asReadOnly());

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.WRITER_IDLE && !closing.get()) {
                    ctx.writeAndFlush(space.duplicate());
                } else if (idle.state() == IdleState.READER_IDLE && !closing.get()) {
                    Listener l = listener;
                    if (l != null) {
                        l.onReadIdle(ClientStream.this);
                    }
                }
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
