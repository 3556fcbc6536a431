package org.fluxmpp.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.IdleStateHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.jid.DomainJid;
import org.fluxmpp.routing.StanzaRouter;
import org.fluxmpp.transport.internal.C2sConnection;
import org.fluxmpp.transport.internal.OpenStreams;
import org.fluxmpp.transport.internal.StreamDecoderHandler;
import org.fluxmpp.transport.internal.ServerMetrics;
import org.fluxmpp.transport.internal.StreamFraming;
import org.fluxmpp.stream.StreamError;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.tcp.TcpServer;

/**
 * An XMPP server for client-to-server streams (RFC 6120) on reactor-netty TCP, and optionally over WebSocket
 * (RFC 7395, {@link #webSocketPort(int)}): stream negotiation (STARTTLS, SASL, resource binding), then every stanza of
 * a bound session handed to a {@link StanzaRouter}.
 *
 * <p>Immutable and fluent in the reactor-netty manner: every setter returns a new server configuration, and
 * {@link #bind()} starts listening.
 *
 * <pre>{@code
 * DisposableServer server = XmppServer.create()
 *     .domain("example.com")
 *     .port(5222)
 *     .secure(ServerTls.pem(certFile, keyFile))
 *     .authentication(sasl -> sasl.credentials(store))
 *     .router(XmppRouter.create().domain("example.com"))
 *     .bindNow();
 * ...
 * server.disposeNow();
 * }</pre>
 *
 * <p>Secure by default: STARTTLS is required before SASL, PLAIN is offered only inside TLS, and the server stamps
 * every stanza's {@code from}. Every stream error ends only the stream that caused it.
 */
public final class XmppServer {

    /** The IANA-registered port for client-to-server streams: {@value}. */
    public static final int DEFAULT_PORT = 5222;
    /** How long a stream may take from connect to bound resource: 60 seconds. */
    public static final Duration DEFAULT_NEGOTIATION_TIMEOUT = Duration.ofSeconds(60);
    /** The path XMPP over WebSocket is served at unless {@link #webSocketPath(String)} says otherwise: {@value}. */
    public static final String DEFAULT_WEBSOCKET_PATH = "/xmpp-websocket";
    /** Stanzas that may wait in a session's outbound queue: {@value}. */
    public static final int DEFAULT_OUTBOUND_CAPACITY = 1000;

    private static final int NO_PORT = -1;
    private static final Logger log = LoggerFactory.getLogger(XmppServer.class);
    /** Seconds without input after which a stream's parser gives back its buffers. */
    static final int IDLE_COMPACT_SECONDS = 5;

    private final List<String> domains;
    private final @Nullable String host;
    private final int port;
    private final @Nullable ServerTls tls;
    private final boolean tlsRequired;
    private final ServerSasl sasl;
    private final @Nullable StanzaRouter router;
    private final DecoderLimits limits;
    private final Duration negotiationTimeout;
    private final int outboundCapacity;
    private final int directTlsPort;
    private final int webSocketPort;
    private final String webSocketPath;
    private final @Nullable MeterRegistry meterRegistry;

    private XmppServer(List<String> domains, @Nullable String host, int port, @Nullable ServerTls tls,
                       boolean tlsRequired, ServerSasl sasl, @Nullable StanzaRouter router, DecoderLimits limits,
                       Duration negotiationTimeout, int outboundCapacity, int directTlsPort, int webSocketPort,
                       String webSocketPath, @Nullable MeterRegistry meterRegistry) {
        this.domains = domains;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.tlsRequired = tlsRequired;
        this.sasl = sasl;
        this.router = router;
        this.limits = limits;
        this.negotiationTimeout = negotiationTimeout;
        this.outboundCapacity = outboundCapacity;
        this.directTlsPort = directTlsPort;
        this.webSocketPort = webSocketPort;
        this.webSocketPath = webSocketPath;
        this.meterRegistry = meterRegistry;
    }

    /** A server with the defaults: port {@value #DEFAULT_PORT}, TLS required, no domain yet. */
    public static XmppServer create() {
        return new XmppServer(List.of(), null, DEFAULT_PORT, null, true, ServerSasl.DEFAULT, null,
                DecoderLimits.defaults(), DEFAULT_NEGOTIATION_TIMEOUT, DEFAULT_OUTBOUND_CAPACITY, NO_PORT, NO_PORT,
                DEFAULT_WEBSOCKET_PATH, null);
    }

    /**
     * Adds a served domain (RFC 7622 domainpart, normalised); a stream to any other gets {@code host-unknown}.
     *
     * @throws org.fluxmpp.jid.JidFormatException when it is not a valid domainpart
     */
    public XmppServer domain(String domain) {
        Set<String> set = new LinkedHashSet<>(domains);
        set.add(DomainJid.of(domain).domainpart());
        return new XmppServer(Collections.unmodifiableList(new ArrayList<>(set)), host, port, tls, tlsRequired, sasl,
                router, limits, negotiationTimeout, outboundCapacity, directTlsPort, webSocketPort, webSocketPath,
                meterRegistry);
    }

    /** Sets the local address to listen on; by default every interface. */
    public XmppServer host(String host) {
        return new XmppServer(domains, Objects.requireNonNull(host, "host"), port, tls, tlsRequired, sasl, router,
                limits, negotiationTimeout, outboundCapacity, directTlsPort, webSocketPort,
                webSocketPath, meterRegistry);
    }

    /**
     * Sets the port; 0 picks a free one (see {@link DisposableServer#port()}).
     *
     * @throws IllegalArgumentException outside 0..65535
     */
    public XmppServer port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        return new XmppServer(domains, host, port, tls, tlsRequired, sasl, router, limits, negotiationTimeout,
                outboundCapacity, directTlsPort, webSocketPort, webSocketPath, meterRegistry);
    }

    /** Sets the certificate and key offered by STARTTLS (RFC 6120 section 5). */
    public XmppServer secure(ServerTls tls) {
        return new XmppServer(domains, host, port, Objects.requireNonNull(tls, "tls"), tlsRequired, sasl, router,
                limits, negotiationTimeout, outboundCapacity, directTlsPort, webSocketPort,
                webSocketPath, meterRegistry);
    }

    /**
     * Whether clients must negotiate TLS before SASL (default {@code true}). Turning it off is for tests on
     * loopback; PLAIN stays refused outside TLS either way.
     */
    public XmppServer tlsRequired(boolean required) {
        return new XmppServer(domains, host, port, tls, required, sasl, router, limits, negotiationTimeout,
                outboundCapacity, directTlsPort, webSocketPort, webSocketPath, meterRegistry);
    }

    /** Configures SASL from the current settings. */
    public XmppServer authentication(UnaryOperator<ServerSasl> configure) {
        return new XmppServer(domains, host, port, tls, tlsRequired,
                Objects.requireNonNull(configure.apply(sasl), "sasl"), router, limits, negotiationTimeout,
                outboundCapacity, directTlsPort, webSocketPort, webSocketPath, meterRegistry);
    }

    /** Sets the router that bound sessions and their stanzas are handed to. */
    public XmppServer router(StanzaRouter router) {
        return new XmppServer(domains, host, port, tls, tlsRequired, sasl, Objects.requireNonNull(router, "router"),
                limits, negotiationTimeout, outboundCapacity, directTlsPort, webSocketPort,
                webSocketPath, meterRegistry);
    }

    /** Sets the decoder's limits (element size, depth, attributes, text). */
    public XmppServer limits(DecoderLimits limits) {
        return new XmppServer(domains, host, port, tls, tlsRequired, sasl, router,
                Objects.requireNonNull(limits, "limits"), negotiationTimeout, outboundCapacity, directTlsPort,
                webSocketPort, webSocketPath, meterRegistry);
    }

    /**
     * Sets how long a stream may take from connection to bound resource before it ends with
     * {@code connection-timeout}.
     *
     * @throws IllegalArgumentException when not positive
     */
    public XmppServer negotiationTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("negotiationTimeout must be positive: " + timeout);
        }
        return new XmppServer(domains, host, port, tls, tlsRequired, sasl, router, limits, timeout,
                outboundCapacity, directTlsPort, webSocketPort, webSocketPath, meterRegistry);
    }

    /**
     * Sets how many stanzas may wait for a slow client; one more ends its stream with {@code policy-violation}.
     *
     * @throws IllegalArgumentException when not positive
     */
    public XmppServer outboundCapacity(int stanzas) {
        if (stanzas < 1) {
            throw new IllegalArgumentException("outboundCapacity must be positive: " + stanzas);
        }
        return new XmppServer(domains, host, port, tls, tlsRequired, sasl, router, limits, negotiationTimeout,
                stanzas, directTlsPort, webSocketPort, webSocketPath, meterRegistry);
    }

    /**
     * Also listens for direct TLS (XEP-0368) on this port: TLS from the first byte (with ALPN
     * {@value ServerTls#ALPN_XMPP_CLIENT}), then the same stream without STARTTLS. Off by default; 5223 is the
     * customary port; 0 picks a free one.
     *
     * @throws IllegalArgumentException outside 0..65535
     */
    public XmppServer directTlsPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("directTlsPort must be in 0..65535: " + port);
        }
        return new XmppServer(domains, host, this.port, tls, tlsRequired, sasl, router, limits, negotiationTimeout,
                outboundCapacity, port, webSocketPort, webSocketPath, meterRegistry);
    }

    /**
     * Also serves XMPP over WebSocket (RFC 7395) on this port, at {@link #webSocketPath()}: sub-protocol
     * {@code xmpp} on reactor-netty HTTP, with the same negotiation, SASL, binding and router as TCP. With
     * {@link #secure(ServerTls)} set it is {@code wss}, TLS from the first byte, so no STARTTLS is offered. Off by
     * default; 0 picks a free one.
     *
     * @throws IllegalArgumentException outside 0..65535
     */
    public XmppServer webSocketPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("webSocketPort must be in 0..65535: " + port);
        }
        return new XmppServer(domains, host, this.port, tls, tlsRequired, sasl, router, limits, negotiationTimeout,
                outboundCapacity, directTlsPort, port, webSocketPath, meterRegistry);
    }

    /**
     * Sets the HTTP path of XMPP over WebSocket (default {@value #DEFAULT_WEBSOCKET_PATH}).
     *
     * @throws IllegalArgumentException when it does not start with {@code /}
     */
    public XmppServer webSocketPath(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("webSocketPath must start with '/': " + path);
        }
        return new XmppServer(domains, host, port, tls, tlsRequired, sasl, router, limits, negotiationTimeout,
                outboundCapacity, directTlsPort, webSocketPort, path, meterRegistry);
    }

    /**
     * Records the server's meters in this Micrometer registry (by default none are recorded): open connections and
     * bound sessions by transport, stanzas in and out by kind, stanza and stream errors by condition, logins by SASL
     * mechanism and outcome, and the stanzas waiting in outbound queues. Names follow Micrometer's convention under
     * {@code xmpp.server.}; the list is in {@code docs/architecture.md}. One registry per bound server: a second
     * server binding the same registry would share the first one's gauges.
     */
    public XmppServer meterRegistry(MeterRegistry registry) {
        return new XmppServer(domains, host, port, tls, tlsRequired, sasl, router, limits, negotiationTimeout,
                outboundCapacity, directTlsPort, webSocketPort, webSocketPath,
                Objects.requireNonNull(registry, "registry"));
    }

    /** The WebSocket port, or -1 when WebSocket is off. */
    public int webSocketPort() {
        return webSocketPort;
    }

    /** The HTTP path of XMPP over WebSocket. */
    public String webSocketPath() {
        return webSocketPath;
    }

    /** The direct TLS port, or -1 when direct TLS is off. */
    public int directTlsPort() {
        return directTlsPort;
    }

    /** The served domains, normalised. */
    public List<String> domains() {
        return domains;
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** The TLS setup, or {@code null} when none is set. */
    public @Nullable ServerTls tls() {
        return tls;
    }

    /** Whether TLS is required before SASL. */
    public boolean tlsRequired() {
        return tlsRequired;
    }

    /** The SASL settings. */
    public ServerSasl sasl() {
        return sasl;
    }

    /** The router, or {@code null} when none is set. */
    public @Nullable StanzaRouter router() {
        return router;
    }

    /** The decoder's limits. */
    public DecoderLimits limits() {
        return limits;
    }

    /** The negotiation timeout. */
    public Duration negotiationTimeout() {
        return negotiationTimeout;
    }

    /** The outbound queue capacity, in stanzas. */
    public int outboundCapacity() {
        return outboundCapacity;
    }

    /**
     * Starts listening.
     *
     * @return the bound server (every configured port: STARTTLS, direct TLS, WebSocket); signals
     *         {@link IllegalStateException} when the configuration is incomplete (no domain, no router, no credential
     *         store, TLS required without a certificate) and the bind error when a port cannot be bound
     */
    public Mono<BoundXmppServer> bind() {
        return Mono.defer(() -> {
            validate();
            OpenStreams streams = new OpenStreams();
            ServerMetrics metrics = new ServerMetrics(
                    meterRegistry == null ? new CompositeMeterRegistry() : meterRegistry, streams);
            XmppWebSocketHandler webSocket = new XmppWebSocketHandler(this, streams, metrics);
            // All or none: a failure to bind a later port releases the ones bound before it.
            return listen(port, false, streams, metrics).flatMap(s ->
                    optional(directTlsPort, () -> listen(directTlsPort, true, streams, metrics)).flatMap(d ->
                            optional(webSocketPort, () -> listenWebSocket(webSocket))
                                    .map(w -> new BoundXmppServer(s, d.orElse(null), w.orElse(null), streams,
                                            webSocket, endSessionsOfRemovedAccounts(streams)))
                                    .doOnError(e -> d.ifPresent(DisposableServer::disposeNow)))
                            .doOnError(e -> s.disposeNow()));
        });
    }

    /**
     * An account removed from the credential store (deluser on a running server) loses its live sessions at once,
     * with {@code not-authorized} as Prosody does, rather than keeping them until they next log in.
     */
    private Disposable endSessionsOfRemovedAccounts(OpenStreams streams) {
        StreamError deleted = StreamError.of(StreamError.Condition.NOT_AUTHORIZED).withText("account deleted");
        return Objects.requireNonNull(sasl.credentials()).removals()
                .subscribe(account -> streams.end(account, deleted),
                        e -> log.warn("Account removals stopped: {}", e.toString()));
    }

    private static Mono<Optional<DisposableServer>> optional(int listenPort,
                                                             Supplier<Mono<DisposableServer>> listen) {
        return listenPort == NO_PORT ? Mono.just(Optional.empty()) : listen.get().map(Optional::of);
    }

    private Mono<DisposableServer> listenWebSocket(XmppWebSocketHandler handler) {
        HttpServer http = HttpServer.create().port(webSocketPort);
        if (host != null) {
            http = http.host(host);
        }
        ServerTls serverTls = tls;
        if (serverTls != null) {
            http = http.secure(spec -> spec.sslContext(serverTls.sslContext()));
        }
        WebsocketServerSpec spec = handler.serverSpec();
        return http
                .route(routes -> routes.get(webSocketPath, (request, response) -> {
                    // RFC 7395 3.1: the handshake must ask for the "xmpp" sub-protocol; anything else is not an XMPP
                    // stream, so it is refused before the upgrade (400) rather than upgraded to nothing.
                    if (!XmppWebSocketHandler.asksForXmpp(
                            request.requestHeaders().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL))) {
                        return response.status(HttpResponseStatus.BAD_REQUEST).send();
                    }
                    return response.sendWebsocket(handler, spec);
                }))
                .bind()
                .map(DisposableServer.class::cast);
    }

    private Mono<DisposableServer> listen(int listenPort, boolean directTls, OpenStreams streams,
                                          ServerMetrics metrics) {
        TcpServer tcp = TcpServer.create().port(listenPort);
        if (host != null) {
            tcp = tcp.host(host);
        }
        ServerTls serverTls = tls;
        return tcp
                .doOnConnection(c -> {
                    if (directTls && serverTls != null) {
                        c.channel().pipeline().addFirst(NettyPipeline.SslHandler,
                                serverTls.directTlsContext().newHandler(c.channel().alloc()));
                    }
                    // Reads stop for a while: the decoder compacts (it keeps nothing for an idle stream).
                    c.addHandlerLast("fluxmpp.idle", new IdleStateHandler(IDLE_COMPACT_SECONDS, 0, 0));
                    c.addHandlerLast(StreamDecoderHandler.NAME, new StreamDecoderHandler(limits));
                })
                .handle((in, out) -> {
                    C2sConnection stream = new C2sConnection(this, in, out, directTls, StreamFraming.tcp(), metrics);
                    streams.add(stream);
                    return Flux.from(stream.run()).doFinally(signal -> streams.remove(stream));
                })
                .bind()
                .map(DisposableServer.class::cast);
    }

    /**
     * Starts listening and waits for it, for {@code main} methods and tests.
     *
     * @throws IllegalStateException when the configuration is incomplete or the port cannot be bound
     */
    public BoundXmppServer bindNow() {
        BoundXmppServer server = bind().block(Duration.ofSeconds(45));
        if (server == null) {
            throw new IllegalStateException("the server did not bind");
        }
        return server;
    }

    private void validate() {
        if (domains.isEmpty()) {
            throw new IllegalStateException("no domain: call domain(...)");
        }
        if (router == null) {
            throw new IllegalStateException("no router: call router(...)");
        }
        if (sasl.credentials() == null) {
            throw new IllegalStateException("no credential store: call authentication(sasl -> sasl.credentials(..))");
        }
        if ((tlsRequired || directTlsPort != NO_PORT) && tls == null) {
            throw new IllegalStateException("TLS is required but no certificate is set: call secure(...)");
        }
    }
}
