package org.fluxmpp.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.routing.StanzaRoute;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * An XMPP client (RFC 6120) on reactor-netty: configure it fluently, then {@link #connect()} for an
 * {@link XmppConnection} whose stanzas are a {@code Flux}. No thread per connection: all I/O runs on Netty's event
 * loops and every wait (DNS, TLS, SASL, the server's answers) is a signal, never a blocked thread.
 *
 * <pre>{@code
 * XmppConnection c = XmppClient.create()
 *     .jid("alice@example.com").password(secret)
 *     .secure(tls -> tls.trustCertificates(caCertificate))    // default: the JDK's trust store
 *     .reconnect(Duration.ofSeconds(1), Duration.ofMinutes(2))
 *     .connect().block();
 * c.inbound().ofType(Message.class).subscribe(m -> log.info("{}: {}", m.from(), m.body()));
 * c.send(Message.builder().to("bob@example.com").body("hi").build()).subscribe();
 * }</pre>
 *
 * <p>Where it connects: to {@link #host host}:{@link #port port} when set; otherwise where DNS says (RFC 6120
 * section 3.2: SRV records {@code _xmpps-client._tcp} for direct TLS (XEP-0368) and {@code _xmpp-client._tcp}, by
 * priority and weight, falling back to the domain itself on port 5222), looked up with Netty's non-blocking
 * resolver.
 *
 * <p>Security by default: TLS is required (STARTTLS, or direct TLS), TLS 1.2 and 1.3 only, the server's certificate
 * must be trusted and name the JID's domain; SASL uses the strongest mechanism both sides offer among
 * SCRAM-SHA-512/256/1 (with channel binding, -PLUS, where both can; {@code tls-exporter} preferred) and PLAIN (only
 * under TLS); the server's SCRAM signature is verified.
 *
 * <p>Immutable: every setter returns a new client, so one configured client can connect many times.
 */
public final class XmppClient {

    /** The port of the fallback when DNS has no SRV record, and of an explicit host without a port: {@value}. */
    public static final int DEFAULT_PORT = 5222;
    /** Default bound on connecting and negotiating one stream: 30 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Default time an IQ request waits for its response: 30 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Default time without writing after which a whitespace keepalive is sent: 60 s. */
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(60);
    /** Default time without reading after which the server is pinged (XEP-0199): 3 min. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(3);
    /** Default number of inbound stanzas buffered for slow subscribers: {@value}. */
    public static final int DEFAULT_INBOUND_CAPACITY = 256;
    /** Default bound on IQ requests waiting for their responses: {@value}. */
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 1024;

    private static final List<SaslMechanism> DEFAULT_MECHANISMS = List.copyOf(
            EnumSet.complementOf(EnumSet.of(SaslMechanism.ANONYMOUS)));

    private @Nullable Jid jid;
    private Mono<String> password = Mono.error(() -> new IllegalStateException("no password: call password(...)"));
    private @Nullable String resource;
    private @Nullable String host;
    private int port = DEFAULT_PORT;
    private boolean directTls;
    private ClientTls tls = ClientTls.system();
    private boolean tlsRequired = true;
    private List<SaslMechanism> mechanisms = DEFAULT_MECHANISMS;
    private @Nullable StanzaRoute route;
    private int inboundCapacity = DEFAULT_INBOUND_CAPACITY;
    private int maxPendingRequests = DEFAULT_MAX_PENDING_REQUESTS;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration keepalive = DEFAULT_KEEPALIVE;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private @Nullable Duration reconnectMinBackoff;
    private Duration reconnectMaxBackoff = Duration.ofMinutes(2);
    private DecoderLimits limits = DecoderLimits.defaults();
    private List<InetSocketAddress> dnsServers = List.of();

    private XmppClient() {
    }

    private XmppClient(XmppClient o) {
        jid = o.jid;
        password = o.password;
        resource = o.resource;
        host = o.host;
        port = o.port;
        directTls = o.directTls;
        tls = o.tls;
        tlsRequired = o.tlsRequired;
        mechanisms = o.mechanisms;
        route = o.route;
        inboundCapacity = o.inboundCapacity;
        maxPendingRequests = o.maxPendingRequests;
        requestTimeout = o.requestTimeout;
        connectTimeout = o.connectTimeout;
        keepalive = o.keepalive;
        readTimeout = o.readTimeout;
        reconnectMinBackoff = o.reconnectMinBackoff;
        reconnectMaxBackoff = o.reconnectMaxBackoff;
        limits = o.limits;
        dnsServers = o.dnsServers;
    }

    /** A client with the defaults above; set at least {@link #jid} and {@link #password}. */
    public static XmppClient create() {
        return new XmppClient();
    }

    private XmppClient with(Consumer<XmppClient> change) {
        XmppClient c = new XmppClient(this);
        change.accept(c);
        return c;
    }

    /**
     * The account: a bare JID, or a full JID whose resourcepart is the resource to request.
     *
     * @throws org.fluxmpp.jid.JidFormatException when it is not a valid JID (RFC 7622)
     * @throws IllegalArgumentException           when it has no localpart
     */
    public XmppClient jid(String jid) {
        return jid(Jid.parse(jid));
    }

    /** The account, as {@link #jid(String)}. */
    public XmppClient jid(Jid jid) {
        if (jid.localpart() == null) {
            throw new IllegalArgumentException("an account JID needs a localpart: " + jid);
        }
        return with(c -> {
            c.jid = jid;
            if (jid instanceof FullJid full) {
                c.resource = full.resourcepart();
            }
        });
    }

    /** The password (prepared with PRECIS OpaqueString for SCRAM, RFC 8265). */
    public XmppClient password(String password) {
        Objects.requireNonNull(password, "password");
        return with(c -> c.password = Mono.just(password));
    }

    /** Where the password comes from, asked again on every (re)connection: a vault, a secret manager. */
    public XmppClient credentials(Mono<String> password) {
        Objects.requireNonNull(password, "password");
        return with(c -> c.password = password);
    }

    /** The resource to request; by default the server chooses one (RFC 6120 7.6). */
    public XmppClient resource(@Nullable String resource) {
        return with(c -> c.resource = resource);
    }

    /** Connects to this host instead of looking the domain up in DNS. */
    public XmppClient host(String host) {
        Objects.requireNonNull(host, "host");
        return with(c -> c.host = host);
    }

    /**
     * The port on {@link #host}.
     *
     * @throws IllegalArgumentException outside 1..65535
     */
    public XmppClient port(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        return with(c -> c.port = port);
    }

    /** Whether {@link #host}'s port speaks TLS at once (XEP-0368), rather than STARTTLS; default {@code false}. */
    public XmppClient directTls(boolean directTls) {
        return with(c -> c.directTls = directTls);
    }

    /** Changes the TLS setup, starting from the current one (by default the JDK's trust store). */
    public XmppClient secure(UnaryOperator<ClientTls> configure) {
        ClientTls next = Objects.requireNonNull(configure.apply(tls), "the TLS configuration");
        return with(c -> c.tls = next);
    }

    /**
     * Allows a stream without TLS when the server does not require it: for development against a local server
     * only, since the password and every stanza then travel in clear. PLAIN and -PLUS are never used without TLS.
     */
    public XmppClient plaintext() {
        return with(c -> c.tlsRequired = false);
    }

    /**
     * The SASL mechanisms the client may use; it picks the strongest of these that the server offers.
     *
     * @throws IllegalArgumentException when empty
     */
    public XmppClient mechanisms(SaslMechanism... allowed) {
        if (allowed.length == 0) {
            throw new IllegalArgumentException("no SASL mechanism");
        }
        List<SaslMechanism> list = List.of(allowed);
        return with(c -> c.mechanisms = list);
    }

    /**
     * Handles stanzas the server sends to this client before they reach {@link XmppConnection#inbound()}: build it
     * with {@code xmpp-router}'s {@code StanzaRoutes}, the same DSL a server uses. An IQ get or set that no route
     * takes is answered with {@code service-unavailable} (RFC 6120 8.2.3).
     */
    public XmppClient route(StanzaRoute route) {
        Objects.requireNonNull(route, "route");
        return with(c -> c.route = route);
    }

    /**
     * How many inbound stanzas wait for slow subscribers of {@link XmppConnection#inbound()} before the client
     * stops reading from the server (and TCP pushes back); default {@value #DEFAULT_INBOUND_CAPACITY}.
     *
     * @throws IllegalArgumentException when not positive
     */
    public XmppClient inboundCapacity(int stanzas) {
        if (stanzas < 1) {
            throw new IllegalArgumentException("inbound capacity must be positive: " + stanzas);
        }
        return with(c -> c.inboundCapacity = stanzas);
    }

    /**
     * How many IQ requests may wait for responses at once; one more fails at once. Default
     * {@value #DEFAULT_MAX_PENDING_REQUESTS}.
     *
     * @throws IllegalArgumentException when not positive
     */
    public XmppClient maxPendingRequests(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max pending requests must be positive: " + max);
        }
        return with(c -> c.maxPendingRequests = max);
    }

    /** How long {@link XmppConnection#request} waits for a response by default. */
    public XmppClient requestTimeout(Duration timeout) {
        Duration t = positive(timeout, "request timeout");
        return with(c -> c.requestTimeout = t);
    }

    /** The bound on connecting and negotiating one stream (TCP, TLS, SASL, binding). */
    public XmppClient connectTimeout(Duration timeout) {
        Duration t = positive(timeout, "connect timeout");
        return with(c -> c.connectTimeout = t);
    }

    /** After this long without writing, a single space is sent (RFC 6120 4.6.1) to keep NATs and proxies open. */
    public XmppClient keepalive(Duration interval) {
        Duration t = positive(interval, "keepalive");
        return with(c -> c.keepalive = t);
    }

    /**
     * After this long without reading, the client pings the server (XEP-0199); no answer within the request
     * timeout ends the stream as dead (and reconnection, when enabled, takes over).
     */
    public XmppClient readTimeout(Duration timeout) {
        Duration t = positive(timeout, "read timeout");
        return with(c -> c.readTimeout = t);
    }

    /**
     * Reconnects when the stream is lost (not when the user closes it, authentication fails, or the server replaced
     * the session with {@code conflict}): exponential backoff from {@code minBackoff} up to {@code maxBackoff} with
     * jitter, then binding the same resource again and re-sending the last presence broadcast.
     */
    public XmppClient reconnect(Duration minBackoff, Duration maxBackoff) {
        Duration min = positive(minBackoff, "min backoff");
        Duration max = positive(maxBackoff, "max backoff");
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max backoff below min backoff");
        }
        return with(c -> {
            c.reconnectMinBackoff = min;
            c.reconnectMaxBackoff = max;
        });
    }

    /** Limits on what the server may send (element size, depth, ...), as the server side has. */
    public XmppClient limits(DecoderLimits limits) {
        Objects.requireNonNull(limits, "limits");
        return with(c -> c.limits = limits);
    }

    /** The DNS servers for SRV lookups; by default the system's. */
    public XmppClient dnsServers(InetSocketAddress... servers) {
        List<InetSocketAddress> list = List.of(servers);
        return with(c -> c.dnsServers = list);
    }

    /**
     * Connects, negotiates the stream and binds a resource.
     *
     * @return the connection, online; signals {@link SaslFailureException} (authentication),
     *         {@link org.fluxmpp.stream.StreamErrorException} (the server ended the stream),
     *         {@link org.fluxmpp.stanza.StanzaErrorException} (binding refused), {@link javax.net.ssl.SSLException}
     *         (TLS: untrusted certificate, wrong name), {@link java.util.concurrent.TimeoutException}, or an I/O
     *         error when no server could be reached. Reconnection, when enabled, applies only once online.
     * @throws IllegalStateException (signalled) when no JID was set
     */
    public Mono<XmppConnection> connect() {
        return Mono.defer(() -> {
            if (jid == null) {
                return Mono.error(new IllegalStateException("no JID: call jid(...)"));
            }
            return XmppConnection.connect(this);
        });
    }

    // ---- for the transport ----------------------------------------------------------------------------------

    /** The account's bare JID. */
    public BareJid jid() {
        Jid j = jid;
        if (j == null) {
            throw new IllegalStateException("no JID");
        }
        return j.asBareJid();
    }

    /** The account's domain, which the server's certificate must name. */
    public String domain() {
        return jid().domainpart();
    }

    /** The password source: not public, so the secret is not one getter away from any code holding a client. */
    Mono<String> password() {
        return password;
    }

    /** The resource to request, or {@code null} for one of the server's choosing. */
    public @Nullable String resource() {
        return resource;
    }

    /** The explicit host, or {@code null} to look the domain up. */
    public @Nullable String host() {
        return host;
    }

    /** The explicit port. */
    public int port() {
        return port;
    }

    /** Whether the explicit port speaks direct TLS. */
    public boolean directTls() {
        return directTls;
    }

    /** The TLS setup. */
    public ClientTls tls() {
        return tls;
    }

    /** Whether TLS is required (the default). */
    public boolean tlsRequired() {
        return tlsRequired;
    }

    /** The SASL mechanisms the client may use. */
    public List<SaslMechanism> mechanisms() {
        return mechanisms;
    }

    /** The route for stanzas from the server, or {@code null}. */
    public @Nullable StanzaRoute route() {
        return route;
    }

    /** The inbound buffer's capacity. */
    public int inboundCapacity() {
        return inboundCapacity;
    }

    /** The bound on waiting requests. */
    public int maxPendingRequests() {
        return maxPendingRequests;
    }

    /** The default request timeout. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The connect and negotiation timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The keepalive interval. */
    public Duration keepalive() {
        return keepalive;
    }

    /** The read-idle time before a ping. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** The first reconnection backoff, or {@code null} when reconnection is off. */
    public @Nullable Duration reconnectMinBackoff() {
        return reconnectMinBackoff;
    }

    /** The longest reconnection backoff. */
    public Duration reconnectMaxBackoff() {
        return reconnectMaxBackoff;
    }

    /** The decoder limits. */
    public DecoderLimits limits() {
        return limits;
    }

    /** The DNS servers for SRV lookups; empty for the system's. */
    public List<InetSocketAddress> dnsServers() {
        return dnsServers;
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }
}
