package org.fluxmpp.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.DomainJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.routing.StanzaRoute;
import org.fluxmpp.routing.StanzaRouter;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stream.StreamError;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The server's {@link StanzaRouter}: keeps bound sessions in a {@link SessionRegistry} and delivers each stanza a
 * session sends by the rules of RFC 6120 section 10 and RFC 6121 section 8, handing stanzas addressed to the server
 * to {@link StanzaRoute}s (first match wins).
 *
 * <p>Configuration is immutable and fluent: every setter checks its argument and returns a new router, leaving the
 * receiver unchanged. The copies share the registry they were configured with, so configure first, then hand the
 * final router to the transport.
 *
 * <pre>{@code
 * XmppRouter router = XmppRouter.create()
 *     .domain("example.com")
 *     .accounts(jid -> credentialStore.exists(jid))          // Mono<Boolean>
 *     .routes(StanzaRoutes.route()
 *         .iqGet("urn:xmpp:time", "time", timeHandler)
 *         .message(StanzaPredicates.hasBody(), chatBot)
 *         .build());
 * XmppServer.create().router(router).bindNow();
 *
 * Mono<Iq> pong = router.request(Iq.get(XmlElement.empty("urn:xmpp:ping", "ping"))
 *     .to(juliet).id("s2c-1").build());
 * }</pre>
 *
 * <h2>Built-in routes</h2>
 * After the user's routes, so that a user route for the same request replaces them:
 * <ul>
 *   <li>XEP-0199 ping ({@link PingHandler}), for the server and on behalf of an existing account;</li>
 *   <li>for the server only (a served domain, or no {@code to}): XEP-0030 {@code disco#info}
 *       ({@link DiscoInfoHandler}: identity {@code server/im}, and as features the namespaces of the user's
 *       {@code iqGet}/{@code iqSet} routes ({@link StanzaRoutes#features()}) and of the built-in ones),
 *       {@code disco#items} ({@link DiscoItemsHandler}: no items), and XEP-0092 software version
 *       ({@link VersionHandler}).</li>
 * </ul>
 *
 * <h2>Delivery rules</h2>
 * The stanza's {@code from} is already stamped by the transport. By its {@code to}:
 * <ul>
 *   <li><b>none, or a served domain</b> (with or without a resource; RFC 6120 10.3, 10.5.1, 10.5.2): an IQ
 *       response that a {@link #request} waits for completes it; anything else goes to the routes, in the order
 *       added, then the built-in routes. Unmatched: an IQ get/set is answered with {@code service-unavailable},
 *       an IQ response is dropped, a message is answered with {@code service-unavailable}, a presence is
 *       dropped.</li>
 *   <li><b>a local full JID</b> (RFC 6120 10.5.4, RFC 6121 8.5.3): delivered to that session. When none is bound
 *       or it refuses ({@link XmppSession#deliver} returns {@code false}): a message is handled as if sent to the
 *       bare JID (excluding the refusing session), an IQ get/set gets {@code service-unavailable}, a presence or IQ
 *       response is dropped.</li>
 *   <li><b>a local bare JID</b> (RFC 6120 10.5.3, RFC 6121 8.5.1 and 8.5.2): a message of type normal, chat or
 *       headline goes to the most recently active resource ({@link XmppSession#lastActivity()}), or, if none takes
 *       it, is answered with {@code service-unavailable} (there is no offline storage yet); a groupchat message is
 *       answered with {@code service-unavailable}; an error message is dropped. A presence goes to every resource.
 *       An IQ get/set is answered on the account's behalf through the routes when the account exists
 *       ({@link #accounts}), otherwise, or when no route takes it, with {@code service-unavailable}.</li>
 *   <li><b>another domain</b> (RFC 6120 10.4): {@code remote-server-not-found}; there is no server-to-server
 *       delivery yet.</li>
 *   <li><b>a malformed JID</b>: {@code jid-malformed} (RFC 6120 8.3.3.8), from the server's domain.</li>
 * </ul>
 * Errors go straight to the sender's session, built with {@link Stanza#errorReply} (addresses swapped; the server's
 * domain as {@code from} when the original had no {@code to}). A stanza of type error and an IQ response are never
 * answered (RFC 6120 8.3.1). What a handler emits is routed by the same rules as a stanza of the server ({@code from}
 * set to the sender's domain when the handler left it out; errors about it are dropped), except that a stanza to
 * the requesting session's own full JID goes straight back to that session, like an error. A handler signalling
 * {@link StanzaErrorException} has the stanza answered with that error; any other failure is logged and answered
 * with {@code internal-server-error}.
 *
 * <p>Nothing runs in parallel: the {@code Mono} of {@link #route} completes only after the handler's publisher has
 * completed and everything it emitted has been delivered, so a transport that waits for it keeps each sender's
 * stanzas in order.
 */
public final class XmppRouter implements StanzaRouter {

    /** Resources one account may have bound at once: {@value}. */
    public static final int DEFAULT_MAX_RESOURCES = 100;

    /** How long {@link #request(Iq)} waits for the response by default: 30 seconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** Server IQ requests that may wait for their response at once: {@value}. */
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 10_000;

    // The features of the built-in routes (XEP-0030 section 3.1).
    private static final List<String> BUILT_IN_FEATURES = List.of(PingHandler.NAMESPACE, DiscoInfoHandler.NAMESPACE,
            DiscoItemsHandler.NAMESPACE, VersionHandler.NAMESPACE);
    private static final DiscoItemsHandler DISCO_ITEMS = new DiscoItemsHandler();
    private static final VersionHandler VERSION = new VersionHandler();

    private static final Logger log = LoggerFactory.getLogger(XmppRouter.class);

    private static final Mono<Boolean> EXISTS = Mono.just(Boolean.TRUE);
    private static final Mono<Boolean> DOES_NOT_EXIST = Mono.just(Boolean.FALSE);

    private final List<DomainJid> domains;
    private final SessionRegistry registry;
    private final ConflictPolicy conflictPolicy;
    private final @Nullable Function<BareJid, Mono<Boolean>> accounts;
    private final List<StanzaRoute> routes;
    private final int maxResources;
    private final Duration requestTimeout;
    private final int maxPendingRequests;
    private final PendingRequests pending;
    private final @Nullable Delivery delivery;

    private XmppRouter(List<DomainJid> domains, SessionRegistry registry, ConflictPolicy conflictPolicy,
                       @Nullable Function<BareJid, Mono<Boolean>> accounts, List<StanzaRoute> routes,
                       int maxResources, Duration requestTimeout, int maxPendingRequests, PendingRequests pending) {
        this.maxResources = maxResources;
        this.domains = domains;
        this.registry = registry;
        this.conflictPolicy = conflictPolicy;
        this.accounts = accounts;
        this.routes = routes;
        this.requestTimeout = requestTimeout;
        this.maxPendingRequests = maxPendingRequests;
        this.pending = pending;
        this.delivery = domains.isEmpty() ? null : newDelivery();
    }

    /**
     * A router with no domain yet, an {@link InMemorySessionRegistry}, {@link ConflictPolicy#REPLACE_OLD}, accounts
     * that exist while they have a bound session, no routes of the user's, and the built-in ping, disco and version
     * routes.
     *
     * <pre>{@code
     * XmppRouter router = XmppRouter.create().domain("example.com");
     * }</pre>
     */
    public static XmppRouter create() {
        return new XmppRouter(List.of(), new InMemorySessionRegistry(), ConflictPolicy.REPLACE_OLD, null, List.of(),
                DEFAULT_MAX_RESOURCES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_PENDING_REQUESTS, new PendingRequests());
    }

    /**
     * Adds a served domain; stanzas to it (and to accounts on it) are local.
     *
     * @throws org.fluxmpp.jid.JidFormatException when it is not a valid domainpart (RFC 7622 section 3.2)
     */
    public XmppRouter domain(String domain) {
        DomainJid d = DomainJid.of(Objects.requireNonNull(domain, "domain"));
        if (domains.contains(d)) {
            return copy(domains, registry, conflictPolicy, accounts, routes);
        }
        List<DomainJid> more = new ArrayList<>(domains);
        more.add(d);
        return copy(List.copyOf(more), registry, conflictPolicy, accounts, routes);
    }

    /**
     * Replaces the served domains. The first is the {@code from} of server stanzas to a sender whose own domain is
     * not served.
     *
     * @throws IllegalArgumentException                when the collection is empty
     * @throws org.fluxmpp.jid.JidFormatException when one is not a valid domainpart
     */
    public XmppRouter domains(Collection<String> domains) {
        Objects.requireNonNull(domains, "domains");
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("a router serves at least one domain");
        }
        List<DomainJid> parsed = new ArrayList<>(domains.size());
        for (String domain : domains) {
            DomainJid d = DomainJid.of(Objects.requireNonNull(domain, "domain"));
            if (!parsed.contains(d)) {
                parsed.add(d);
            }
        }
        return copy(List.copyOf(parsed), registry, conflictPolicy, accounts, routes);
    }

    /** Uses this registry of bound sessions instead of the in-memory one. */
    public XmppRouter registry(SessionRegistry registry) {
        return copy(domains, Objects.requireNonNull(registry, "registry"), conflictPolicy, accounts, routes);
    }

    /** What {@link #bind} does when the full JID is taken; {@link ConflictPolicy#REPLACE_OLD} by default. */
    public XmppRouter conflictPolicy(ConflictPolicy conflictPolicy) {
        return copy(domains, registry, Objects.requireNonNull(conflictPolicy, "conflictPolicy"), accounts, routes);
    }

    /**
     * Tells whether a local account exists, for stanzas to a bare JID (RFC 6121 8.5.1 versus 8.5.2). By default an
     * account exists while it has a bound session. The function is asked only for IQ requests to a bare JID; an
     * empty {@code Mono} means "does not exist", and an error is logged and answers the request with
     * {@code internal-server-error}.
     */
    public XmppRouter accounts(Function<BareJid, Mono<Boolean>> accountExists) {
        return copy(domains, registry, conflictPolicy, Objects.requireNonNull(accountExists, "accountExists"), routes);
    }

    /**
     * Sets how many resources one account may have bound at once; one more bind gets the {@code resource-constraint}
     * stanza error (RFC 6120 7.6.2.1). Taking over a bound full JID does not count as one more.
     *
     * @throws IllegalArgumentException when below 1
     */
    public XmppRouter maxResourcesPerAccount(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxResourcesPerAccount must be at least 1: " + max);
        }
        return new XmppRouter(domains, registry, conflictPolicy, accounts, routes, max, requestTimeout,
                maxPendingRequests, pending);
    }

    /** The resources one account may have bound at once. */
    public int maxResourcesPerAccount() {
        return maxResources;
    }

    /**
     * Appends a route. Routes are tried in the order added, first match wins, and all of them before the built-in
     * routes, so a user route can answer pings, disco or version requests itself. The features of a
     * {@link StanzaRoutes} are listed in the built-in {@code disco#info} answer (XEP-0030 section 3.1).
     *
     * <pre>{@code
     * router = router.route(Routes.message((msg, session) -> Mono.just(echo(msg))));
     * }</pre>
     *
     * @throws NullPointerException when {@code route} is {@code null}
     */
    public XmppRouter route(StanzaRoute route) {
        Objects.requireNonNull(route, "route");
        return append(new StanzaRoute[] {route});
    }

    /**
     * Appends routes built with the DSL, in this order, after those added before and before the built-in ones;
     * their features are listed in the built-in {@code disco#info} answer (XEP-0030 section 3.1).
     *
     * <pre>{@code
     * router = router.routes(StanzaRoutes.route().iqGet("urn:xmpp:time", "time", timeHandler).build());
     * }</pre>
     *
     * @throws NullPointerException when one of them is {@code null}
     */
    public XmppRouter routes(StanzaRoutes... routes) {
        Objects.requireNonNull(routes, "routes");
        return append(routes);
    }

    /**
     * Sets how long {@link #request(Iq)} waits for a response; {@link #DEFAULT_REQUEST_TIMEOUT} by default.
     *
     * <pre>{@code
     * router = router.requestTimeout(Duration.ofSeconds(10));
     * }</pre>
     *
     * @throws IllegalArgumentException when not positive
     */
    public XmppRouter requestTimeout(Duration timeout) {
        return new XmppRouter(domains, registry, conflictPolicy, accounts, routes, maxResources,
                positive(timeout), maxPendingRequests, pending);
    }

    /** How long {@link #request(Iq)} waits for a response. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Sets how many server IQ requests may wait for their response at once; one more fails at once (see
     * {@link #request(Iq, Duration)}). {@value #DEFAULT_MAX_PENDING_REQUESTS} by default. The pending requests are
     * shared by every copy of a router, like its registry.
     *
     * <pre>{@code
     * router = router.maxPendingRequests(1_000);
     * }</pre>
     *
     * @throws IllegalArgumentException when below 1
     */
    public XmppRouter maxPendingRequests(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxPendingRequests must be at least 1: " + max);
        }
        return new XmppRouter(domains, registry, conflictPolicy, accounts, routes, maxResources, requestTimeout,
                max, pending);
    }

    /** How many server IQ requests may wait for their response at once. */
    public int maxPendingRequests() {
        return maxPendingRequests;
    }

    /** The served domains, in the order added. */
    public List<DomainJid> domains() {
        return domains;
    }

    /** The registry of bound sessions. */
    public SessionRegistry registry() {
        return registry;
    }

    /** The conflict policy. */
    public ConflictPolicy conflictPolicy() {
        return conflictPolicy;
    }

    /** The routes added, in order, without the built-in routes. */
    public List<StanzaRoute> routes() {
        return routes;
    }

    /**
     * Registers the session under its full JID, applying the conflict policy (RFC 6120 section 7.7.2.2). With
     * {@link ConflictPolicy#REPLACE_OLD} the displaced session is closed with the {@code conflict} stream error.
     *
     * @return completes once registered; signals {@link StanzaErrorException} with {@code resource-constraint} when
     *         the account has its maximum of resources bound, or with the {@code conflict} stanza error
     *         when {@link ConflictPolicy#REJECT_NEW} refuses the session (nothing changes then). Nothing is held, so
     *         cancelling has no effect beyond not registering when not yet subscribed.
     */
    @Override
    public Mono<Void> bind(XmppSession session) {
        Objects.requireNonNull(session, "session");
        return Mono.defer(() -> {
            // Checked before registering, so a burst of binds may overshoot by the binds in flight: the limit
            // bounds memory, it is not a quota.
            if (registry.find(session.jid()) == null
                    && registry.resources(session.jid().asBareJid()).size() >= maxResources) {
                return Mono.error(new StanzaErrorException(StanzaError.Condition.RESOURCE_CONSTRAINT,
                        "too many resources bound for this account (" + maxResources + ")"));
            }
            if (conflictPolicy == ConflictPolicy.REJECT_NEW) {
                XmppSession holder = registry.putIfAbsent(session);
                if (holder != null) {
                    return Mono.error(new StanzaErrorException(StanzaError.Condition.CONFLICT,
                            "the resource is bound by another session"));
                }
                return Mono.empty();
            }
            XmppSession displaced = registry.put(session);
            if (displaced != null) {
                log.debug("{} replaced by a new session (stream {})", displaced.jid(), session.streamId());
                displaced.close(StreamError.of(StreamError.Condition.CONFLICT)
                        .withText("replaced by a new session"));
            }
            return Mono.empty();
        });
    }

    /** Removes the session, only when it is the one registered under its JID (a replaced session is not). */
    @Override
    public void unbind(XmppSession session) {
        registry.remove(Objects.requireNonNull(session, "session"));
    }

    /**
     * Delivers one stanza from a bound session by the rules above.
     *
     * @return completes when the stanza has been delivered, answered or dropped, including everything a handler
     *         emitted for it; never signals a stanza error (errors go to the sender's session). Signals
     *         {@link IllegalStateException} when no domain is configured. Cancelling stops the handler's publisher;
     *         stanzas already delivered stay delivered.
     */
    @Override
    public Mono<Void> route(Stanza stanza, XmppSession sender) {
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(sender, "sender");
        Delivery d = delivery;
        if (d == null) {
            return Mono.error(new IllegalStateException("no domain configured: call domain(...) first"));
        }
        return d.route(stanza, sender);
    }

    /**
     * Applies the rules for a resource that is gone to a stanza a session accepted but never wrote: the sender is
     * found by the stanza's (server-stamped) {@code from}; a sender that is gone itself, or the server, hears
     * nothing, except that a request of the server's own gets the error as its response.
     */
    @Override
    public void undeliverable(Stanza stanza, XmppSession session) {
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(session, "session");
        Delivery d = delivery;
        if (d != null) {
            d.undeliverable(stanza, session).subscribe(null,
                    e -> log.error("returning an undelivered {} failed", stanza.element().name(), e));
        }
    }

    /**
     * Sends an IQ request from the server and waits for its response, with the default timeout
     * ({@link #requestTimeout()}); see {@link #request(Iq, Duration)}.
     *
     * <pre>{@code
     * router.request(Iq.get(XmlElement.empty("urn:xmpp:ping", "ping")).to(juliet).id("s2c-1").build())
     *     .subscribe(pong -> log.info("{} answered", pong.from()));
     * }</pre>
     */
    public Mono<Iq> request(Iq iq) {
        return request(iq, requestTimeout);
    }

    /**
     * Sends an IQ request from the server (RFC 6120 section 8.2.3) by the delivery rules above, and waits for its
     * response: a stanza of type {@code result} or {@code error} with the same id, from the address the request
     * went to. A response from anyone else does not count: it is routed as any stanza to the server (unmatched,
     * it is dropped). The request keeps its id; its {@code from} is set to the served domain of the addressee
     * (or the first served domain) when absent.
     *
     * <pre>{@code
     * router.request(Iq.get(XmlElement.empty("jabber:iq:version", "query")).to(juliet).id("v-7").build(),
     *         Duration.ofSeconds(5))
     *     .map(Iq::payload)
     *     .onErrorResume(StanzaErrorException.class, e -> Mono.empty());
     * }</pre>
     *
     * @param iq      a {@code get} or {@code set} to a local full JID (RFC 6120 10.5.4); to a bare JID or another
     *                domain it fails as the delivery rules say
     * @param timeout how long to wait for the response
     * @return the {@code result}; signals {@link StanzaErrorException} for an {@code error} response, and also when
     *         the request cannot be delivered ({@code service-unavailable} for an unbound resource or an account's
     *         bare JID, {@code remote-server-not-found} for another domain);
     *         {@link java.util.concurrent.TimeoutException} when no response comes in time;
     *         {@link IllegalStateException} when no domain is configured, when {@link #maxPendingRequests()}
     *         requests already wait, or when a request with the same id to the same address waits;
     *         {@link IllegalArgumentException} when the IQ is not a request, has no {@code to}, is addressed to the
     *         server itself, or has a {@code from} other than the server. Nothing is sent before subscription.
     *         Cancelling (or the timeout) forgets the request: a response arriving later is dropped. A session
     *         that ends before answering leaves the request to its timeout.
     * @throws NullPointerException     when an argument is {@code null}
     * @throws IllegalArgumentException when the timeout is not positive
     */
    public Mono<Iq> request(Iq iq, Duration timeout) {
        Objects.requireNonNull(iq, "iq");
        Duration wait = positive(timeout);
        int max = maxPendingRequests;
        return Mono.defer(() -> {
            Delivery d = delivery;
            if (d == null) {
                return Mono.error(new IllegalStateException("no domain configured: call domain(...) first"));
            }
            if (!iq.isRequest()) {
                return Mono.error(new IllegalArgumentException("only a get or set is a request: " + iq.type()));
            }
            Jid to = iq.to();
            if (to == null || d.isServer(to)) {
                return Mono.error(new IllegalArgumentException("a server request needs a 'to' other than the server"
                        + " itself: " + to));
            }
            Jid from = iq.from();
            if (from != null && !d.isServer(from)) {
                return Mono.error(new IllegalArgumentException("a server request comes from a served domain, not "
                        + from));
            }
            Iq out = from == null ? iq.withFrom(d.domainFor(to)) : iq;
            PendingRequests.Key key = new PendingRequests.Key(to, iq.id());
            return Mono.<Iq>create(sink -> {
                RuntimeException refused = pending.register(key, sink, max);
                if (refused != null) {
                    sink.error(refused);
                    return;
                }
                sink.onDispose(() -> pending.remove(key, sink));
                // Registered before sending: the response may come back on another thread before send() returns.
                d.send(out).subscribe(null, sink::error);
            }).timeout(wait);
        });
    }

    /** How many server IQ requests wait for their response now, for tests. */
    int pendingRequests() {
        return pending.size();
    }

    @Override
    public String toString() {
        return "XmppRouter" + domains + " " + conflictPolicy + ", " + routes.size() + " route(s)";
    }

    private XmppRouter copy(List<DomainJid> domains, SessionRegistry registry, ConflictPolicy conflictPolicy,
                            @Nullable Function<BareJid, Mono<Boolean>> accounts, List<StanzaRoute> routes) {
        return new XmppRouter(domains, registry, conflictPolicy, accounts, routes, maxResources, requestTimeout,
                maxPendingRequests, pending);
    }

    private XmppRouter append(StanzaRoute[] added) {
        List<StanzaRoute> more = new ArrayList<>(routes.size() + added.length);
        more.addAll(routes);
        for (StanzaRoute r : added) {
            more.add(Objects.requireNonNull(r, "route"));
        }
        return copy(domains, registry, conflictPolicy, accounts, List.copyOf(more));
    }

    private static Duration positive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive: " + timeout);
        }
        return timeout;
    }

    /** The built-in routes, with the disco features of the user's routes and their own. */
    private StanzaRoutes builtInRoutes() {
        Set<String> features = new TreeSet<>(BUILT_IN_FEATURES);
        for (StanzaRoute r : routes) {
            if (r instanceof StanzaRoutes built) {
                features.addAll(built.features());
            }
        }
        DiscoInfoHandler discoInfo = new DiscoInfoHandler(features);
        return StanzaRoutes.route()
                .add(Routes.ping())
                .nest(StanzaPredicates.toDomain(), server -> server
                        .iqGet(DiscoInfoHandler.NAMESPACE, DiscoInfoHandler.ELEMENT, discoInfo)
                        .iqGet(DiscoItemsHandler.NAMESPACE, DiscoItemsHandler.ELEMENT, DISCO_ITEMS)
                        .iqGet(VersionHandler.NAMESPACE, VersionHandler.ELEMENT, VERSION))
                .build();
    }

    private Delivery newDelivery() {
        Map<String, DomainJid> byName = new LinkedHashMap<>();
        for (DomainJid d : domains) {
            byName.put(d.domainpart(), d);
        }
        Function<BareJid, Mono<Boolean>> exists = accounts;
        if (exists == null) {
            SessionRegistry r = registry;
            exists = jid -> r.resources(jid).isEmpty() ? DOES_NOT_EXIST : EXISTS;
        }
        List<StanzaRoute> all = new ArrayList<>(routes.size() + 1);
        all.addAll(routes);
        all.add(builtInRoutes());
        return new Delivery(Map.copyOf(byName), domains.get(0), registry, exists, List.copyOf(all), pending);
    }
}
