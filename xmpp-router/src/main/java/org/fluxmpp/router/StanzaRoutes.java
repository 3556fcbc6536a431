package org.fluxmpp.router;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import javax.xml.namespace.QName;
import org.fluxmpp.codec.PayloadBinding;
import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.routing.StanzaRoute;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.stanza.Stanza;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Declarative stanza routes: the entry point of the routing DSL ({@link #route()}) and the immutable
 * {@link StanzaRoute} it builds. Routes are tried in the order added and the first that takes a stanza wins;
 * filters wrap every handler of the builder, and error handlers turn a handler's failure into stanzas.
 *
 * <pre>{@code
 * import static org.fluxmpp.router.StanzaPredicates.*;
 *
 * StanzaRoutes routes = StanzaRoutes.route()
 *     .iqGet("jabber:iq:roster", "query", rosterGet)                         // StanzaHandler<Iq>
 *     .iqSet("jabber:iq:roster", "query", rosterSet)
 *     .iqGet(WeatherQuery.class, (query, iq, session) -> forecast(query))    // payload bound with Jackson XML
 *     .message(hasBody(), (msg, session) -> Mono.just(echo(msg)))
 *     .presence((presence, session) -> Mono.empty())
 *     .nest(from(admin), admin -> admin
 *         .iqSet("urn:example:admin", "command", commandHandler))
 *     .filter((stanza, session, next) -> Flux.from(next.handle(stanza, session)).doOnError(log::warn))
 *     .onError(NoSuchCityException.class, (e, stanza, session) ->
 *         Mono.just(((Iq) stanza).error(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND))))
 *     .build();
 *
 * XmppRouter router = XmppRouter.create().domain("example.com").routes(routes);
 * }</pre>
 *
 * <p>Routing itself never signals an error, except what a predicate throws. What handlers emit and signal is for
 * the router ({@link XmppRouter}): emitted stanzas are routed as the server's, and
 * {@link org.fluxmpp.stanza.StanzaErrorException} answers the stanza with that error (RFC 6120 section 8.3),
 * anything else with {@code internal-server-error} (8.3.3.6).
 *
 * <p>The routes also know the service discovery features (XEP-0030 section 3.1) they implement: the namespace of
 * every {@code iqGet}/{@code iqSet} route, and whatever {@link Builder#feature} adds. {@link XmppRouter} lists
 * them in its {@code disco#info} answer.
 */
public final class StanzaRoutes implements StanzaRoute {

    private static final StanzaRoutes EMPTY = new StanzaRoutes(List.of(), List.of(), List.of(), Set.of());

    private final List<StanzaRoute> routes;
    private final List<StanzaFilter> filters;
    private final List<ErrorEntry<?>> errorHandlers;
    private final Set<String> features;

    private StanzaRoutes(List<StanzaRoute> routes, List<StanzaFilter> filters, List<ErrorEntry<?>> errorHandlers,
                         Set<String> features) {
        this.routes = routes;
        this.filters = filters;
        this.errorHandlers = errorHandlers;
        this.features = features;
    }

    /**
     * A new builder of routes.
     *
     * <pre>{@code
     * StanzaRoutes routes = StanzaRoutes.route().iqGet("urn:xmpp:time", "time", timeHandler).build();
     * }</pre>
     */
    public static Builder route() {
        return new Builder(null);
    }

    /**
     * A single route: {@code handler} takes every stanza {@code predicate} matches.
     *
     * <pre>{@code
     * StanzaRoutes echo = StanzaRoutes.route(message().and(hasBody()),
     *     (stanza, session) -> Mono.just(echo((Message) stanza)));
     * }</pre>
     *
     * @throws NullPointerException when an argument is {@code null}
     */
    public static StanzaRoutes route(StanzaPredicate predicate, StanzaHandler<Stanza> handler) {
        return route().route(predicate, handler).build();
    }

    /**
     * A handler of IQ requests whose payload is read as {@code type} with a shared default
     * {@link PayloadBinding}; what {@code handler} returns becomes the result's payload (see
     * {@link PayloadHandler}). A payload that does not fit {@code type} is answered with {@code bad-request}
     * (RFC 6120 section 8.3.3.1). The handler does not check the payload's name: put it behind a route that does.
     *
     * <pre>{@code
     * StanzaHandler<Iq> weather = StanzaRoutes.typed(WeatherQuery.class,
     *     (query, iq, session) -> Mono.just(new Forecast(query.city(), 21.5)));
     * StanzaRoutes routes = StanzaRoutes.route().iqGet("urn:example:weather", "weather", weather).build();
     * }</pre>
     *
     * @throws NullPointerException when an argument is {@code null}
     */
    public static <T> StanzaHandler<Iq> typed(Class<T> type, PayloadHandler<? super T, ?> handler) {
        return new TypedIqHandler<>(DefaultBinding.INSTANCE, type, handler);
    }

    /**
     * Like {@link #typed(Class, PayloadHandler)}, with this payload binding (for Jackson modules or features).
     *
     * <pre>{@code
     * PayloadBinding binding = new PayloadBinding(mapper -> mapper.addModule(myModule));
     * StanzaHandler<Iq> weather = StanzaRoutes.typed(binding, WeatherQuery.class, weatherHandler);
     * }</pre>
     *
     * @throws NullPointerException when an argument is {@code null}
     */
    public static <T> StanzaHandler<Iq> typed(PayloadBinding binding, Class<T> type,
                                              PayloadHandler<? super T, ?> handler) {
        return new TypedIqHandler<>(binding, type, handler);
    }

    /**
     * The handler of the first route that takes the stanza, wrapped in this builder's filters and error
     * handlers; empty when no route takes it.
     *
     * @return a {@code Mono} of the handler, or empty; signals what a predicate or an added route throws or
     *         signals. Nothing is held, so cancelling releases nothing.
     */
    @Override
    public Mono<StanzaHandler<Stanza>> route(Stanza stanza, XmppSession session) {
        Mono<StanzaHandler<Stanza>> match = FirstMatch.first(routes, stanza, session);
        if (filters.isEmpty() && errorHandlers.isEmpty()) {
            return match;
        }
        return FirstMatch.map(match, this::decorate);
    }

    /**
     * The service discovery features (XEP-0030 section 3.1) these routes implement: the namespaces of the
     * {@code iqGet}/{@code iqSet} routes (nested ones included) and those added with {@link Builder#feature}, in
     * alphabetical order.
     *
     * <pre>{@code
     * StanzaRoutes.route().iqGet("urn:xmpp:time", "time", h).build().features();   // [urn:xmpp:time]
     * }</pre>
     */
    public Set<String> features() {
        return features;
    }

    @Override
    public String toString() {
        return "StanzaRoutes[" + routes.size() + " route(s), " + filters.size() + " filter(s), "
                + errorHandlers.size() + " error handler(s), features=" + features + "]";
    }

    private StanzaHandler<Stanza> decorate(StanzaHandler<Stanza> handler) {
        StanzaHandler<Stanza> h = errorHandlers.isEmpty() ? handler : withErrorHandlers(handler);
        // The first filter added is the outermost, as in Spring's RouterFunctions.
        for (int i = filters.size() - 1; i >= 0; i--) {
            StanzaFilter filter = filters.get(i);
            StanzaHandler<Stanza> next = h;
            h = (stanza, session) -> filter.filter(stanza, session, next);
        }
        return h;
    }

    private StanzaHandler<Stanza> withErrorHandlers(StanzaHandler<Stanza> handler) {
        return (stanza, session) -> Flux.defer(() -> Flux.<Stanza>from(handler.handle(stanza, session)))
                .onErrorResume(error -> {
                    for (ErrorEntry<?> entry : errorHandlers) {
                        if (entry.type.isInstance(error)) {
                            return Flux.defer(() -> Flux.<Stanza>from(entry.handle(error, stanza, session)));
                        }
                    }
                    return Flux.error(error);
                });
    }

    /** One {@code onError}: the error type and its handler. */
    private record ErrorEntry<E extends Throwable>(Class<E> type, ErrorHandler<? super E> handler) {
        Publisher<? extends Stanza> handle(Throwable error, Stanza stanza, XmppSession session) {
            return handler.handle(type.cast(error), stanza, session);
        }
    }

    /** A route guarded by a predicate, with its handler's {@code Mono} built once: a match allocates nothing. */
    private record PredicateRoute(StanzaPredicate predicate, Mono<StanzaHandler<Stanza>> match)
            implements StanzaRoute {
        @Override
        public Mono<StanzaHandler<Stanza>> route(Stanza stanza, XmppSession session) {
            return predicate.test(stanza, session) ? match : Mono.empty();
        }
    }

    /** Nested routes behind a predicate. */
    private record NestedRoute(StanzaPredicate predicate, StanzaRoutes routes) implements StanzaRoute {
        @Override
        public Mono<StanzaHandler<Stanza>> route(Stanza stanza, XmppSession session) {
            return predicate.test(stanza, session) ? routes.route(stanza, session) : Mono.empty();
        }
    }

    /** Built on first use: a {@link PayloadBinding} is costly to build, and most routes never need one. */
    private static final class DefaultBinding {
        static final PayloadBinding INSTANCE = new PayloadBinding();
    }

    /**
     * Builds {@link StanzaRoutes}; get one from {@link StanzaRoutes#route()}. Every method checks its arguments
     * ({@code NullPointerException} for {@code null}) and returns this builder. Not thread-safe; {@link #build()}
     * takes a snapshot, so a builder can go on and build more.
     *
     * <pre>{@code
     * StanzaRoutes routes = StanzaRoutes.route()
     *     .iqGet(PingHandler.NAMESPACE, PingHandler.ELEMENT, new PingHandler())
     *     .message(hasBody(), chatHandler)
     *     .build();
     * }</pre>
     */
    public static final class Builder {

        private final List<StanzaRoute> routes = new ArrayList<>();
        private final List<StanzaFilter> filters = new ArrayList<>();
        private final List<ErrorEntry<?>> errorHandlers = new ArrayList<>();
        private final Set<String> features = new TreeSet<>();
        private @Nullable PayloadBinding binding;

        private Builder(@Nullable PayloadBinding binding) {
            this.binding = binding;
        }

        /**
         * Routes IQ {@code get} requests whose payload has this qualified name (RFC 6120 section 8.2.3) to
         * {@code handler}; the namespace becomes a disco feature (XEP-0030).
         *
         * <pre>{@code
         * .iqGet("urn:xmpp:time", "time", (iq, session) -> Mono.just(iq.result(now())))
         * }</pre>
         */
        public Builder iqGet(String namespace, String localName, StanzaHandler<Iq> handler) {
            return iqRoute(StanzaPredicates.iqGet(namespace, localName), namespace, handler);
        }

        /**
         * Routes IQ {@code set} requests whose payload has this qualified name (RFC 6120 section 8.2.3) to
         * {@code handler}; the namespace becomes a disco feature (XEP-0030).
         *
         * <pre>{@code
         * .iqSet("jabber:iq:roster", "query", (iq, session) -> roster.update(iq))
         * }</pre>
         */
        public Builder iqSet(String namespace, String localName, StanzaHandler<Iq> handler) {
            return iqRoute(StanzaPredicates.iqSet(namespace, localName), namespace, handler);
        }

        /**
         * Like {@link #iqGet(String, String, StanzaHandler)}, with the payload's qualified name as one value.
         *
         * <pre>{@code
         * static final QName PING = new QName("urn:xmpp:ping", "ping");
         * .iqGet(PING, (iq, session) -> Mono.just(iq.result()))
         * }</pre>
         */
        public Builder iqGet(QName name, StanzaHandler<Iq> handler) {
            Objects.requireNonNull(name, "name");
            return iqGet(name.getNamespaceURI(), name.getLocalPart(), handler);
        }

        /**
         * Like {@link #iqSet(String, String, StanzaHandler)}, with the payload's qualified name as one value.
         *
         * <pre>{@code
         * static final QName BLOCK = new QName("urn:xmpp:blocking", "block");
         * .iqSet(BLOCK, (iq, session) -> blocklist.add(iq).thenReturn(iq.result()))
         * }</pre>
         */
        public Builder iqSet(QName name, StanzaHandler<Iq> handler) {
            Objects.requireNonNull(name, "name");
            return iqSet(name.getNamespaceURI(), name.getLocalPart(), handler);
        }

        /**
         * Routes IQ {@code get} requests whose payload is named by {@code type}'s {@code @JsonRootName} or
         * {@code @JacksonXmlRootElement} (namespace and local name) to a typed handler: the payload is read as
         * {@code type}, and what the handler returns becomes the result's payload ({@link PayloadHandler}); a
         * payload that does not fit is answered with {@code bad-request} (RFC 6120 section 8.3.3.1).
         *
         * <pre>{@code
         * .iqGet(WeatherQuery.class, (query, iq, session) -> Mono.just(new Forecast(query.city(), 21.5)))
         * }</pre>
         *
         * @throws IllegalArgumentException when {@code type} has no {@code @JsonRootName} or
         *                                  {@code @JacksonXmlRootElement} with a namespace and a local name
         */
        public <T> Builder iqGet(Class<T> type, PayloadHandler<? super T, ?> handler) {
            QName name = TypedIqHandler.rootName(type);
            return iqGet(name.getNamespaceURI(), name.getLocalPart(), type, handler);
        }

        /**
         * Like {@link #iqGet(Class, PayloadHandler)} for IQ {@code set} requests.
         *
         * <pre>{@code
         * .iqSet(Subscription.class, (sub, iq, session) -> subscriptions.add(sub).then())   // empty result
         * }</pre>
         *
         * @throws IllegalArgumentException when {@code type} has no {@code @JsonRootName} or
         *                                  {@code @JacksonXmlRootElement} with a namespace and a local name
         */
        public <T> Builder iqSet(Class<T> type, PayloadHandler<? super T, ?> handler) {
            QName name = TypedIqHandler.rootName(type);
            return iqSet(name.getNamespaceURI(), name.getLocalPart(), type, handler);
        }

        /**
         * Like {@link #iqGet(Class, PayloadHandler)}, for a payload with this qualified name whatever
         * {@code type}'s annotations say.
         *
         * <pre>{@code
         * .iqGet("urn:example:weather", "weather", WeatherQuery.class, weatherHandler)
         * }</pre>
         */
        public <T> Builder iqGet(String namespace, String localName, Class<T> type,
                                 PayloadHandler<? super T, ?> handler) {
            return iqGet(namespace, localName, new TypedIqHandler<>(binding(), type, handler));
        }

        /**
         * Like {@link #iqSet(Class, PayloadHandler)}, for a payload with this qualified name whatever
         * {@code type}'s annotations say.
         *
         * <pre>{@code
         * .iqSet("urn:example:weather", "subscribe", Subscription.class, subscribeHandler)
         * }</pre>
         */
        public <T> Builder iqSet(String namespace, String localName, Class<T> type,
                                 PayloadHandler<? super T, ?> handler) {
            return iqSet(namespace, localName, new TypedIqHandler<>(binding(), type, handler));
        }

        /**
         * Routes IQs (of any type: results and errors too, RFC 6120 section 8.2.3) that {@code predicate} matches
         * to {@code handler}. Contributes no disco feature; add one with {@link #feature} if it implements one.
         *
         * <pre>{@code
         * .iq(StanzaPredicates.iq(Iq.Type.RESULT), (result, session) -> Mono.empty())
         * }</pre>
         */
        public Builder iq(StanzaPredicate predicate, StanzaHandler<Iq> handler) {
            return add(StanzaPredicates.iq().and(Objects.requireNonNull(predicate, "predicate")), handler, Iq.class);
        }

        /**
         * Routes every message (RFC 6121 section 5) to {@code handler}.
         *
         * <pre>{@code
         * .message((msg, session) -> archive.store(msg).then(Mono.empty()))
         * }</pre>
         */
        public Builder message(StanzaHandler<Message> handler) {
            return add(StanzaPredicates.message(), handler, Message.class);
        }

        /**
         * Routes messages that {@code predicate} matches to {@code handler}.
         *
         * <pre>{@code
         * .message(messageType(Message.Type.CHAT).and(hasBody()), chatHandler)
         * }</pre>
         */
        public Builder message(StanzaPredicate predicate, StanzaHandler<Message> handler) {
            return add(StanzaPredicates.message().and(Objects.requireNonNull(predicate, "predicate")), handler,
                    Message.class);
        }

        /**
         * Routes every presence (RFC 6121 section 4) to {@code handler}.
         *
         * <pre>{@code
         * .presence((presence, session) -> presences.update(presence).then(Mono.empty()))
         * }</pre>
         */
        public Builder presence(StanzaHandler<Presence> handler) {
            return add(StanzaPredicates.presence(), handler, Presence.class);
        }

        /**
         * Routes presences that {@code predicate} matches to {@code handler}.
         *
         * <pre>{@code
         * .presence(toDomain(), initialPresenceHandler)
         * }</pre>
         */
        public Builder presence(StanzaPredicate predicate, StanzaHandler<Presence> handler) {
            return add(StanzaPredicates.presence().and(Objects.requireNonNull(predicate, "predicate")), handler,
                    Presence.class);
        }

        /**
         * Routes stanzas of any kind that {@code predicate} matches to {@code handler}.
         *
         * <pre>{@code
         * .route(hasExtension("urn:xmpp:receipts", "request"), receiptHandler)
         * }</pre>
         */
        public Builder route(StanzaPredicate predicate, StanzaHandler<Stanza> handler) {
            return add(Objects.requireNonNull(predicate, "predicate"), handler, Stanza.class);
        }

        /**
         * Adds a route built elsewhere, in this position; the features of a {@link StanzaRoutes} are kept.
         *
         * <pre>{@code
         * .add(adminRoutes)
         * }</pre>
         */
        public Builder add(StanzaRoute route) {
            Objects.requireNonNull(route, "route");
            routes.add(route);
            if (route instanceof StanzaRoutes built) {
                features.addAll(built.features);
            }
            return this;
        }

        /**
         * Adds routes that are tried only for stanzas {@code predicate} matches, built by {@code nested} on a
         * fresh builder. The nested builder's filters and error handlers apply to its routes only; this builder's
         * apply to them too, outside.
         *
         * <pre>{@code
         * .nest(toDomain(), server -> server
         *     .iqGet("jabber:iq:version", "query", versionHandler)
         *     .iqGet("urn:xmpp:time", "time", timeHandler))
         * }</pre>
         */
        public Builder nest(StanzaPredicate predicate, Consumer<Builder> nested) {
            Objects.requireNonNull(predicate, "predicate");
            Objects.requireNonNull(nested, "nested");
            Builder inner = new Builder(binding);
            nested.accept(inner);
            StanzaRoutes built = inner.build();
            routes.add(new NestedRoute(predicate, built));
            features.addAll(built.features);
            return this;
        }

        /**
         * Wraps every handler of this builder (routes added before and after, nested ones included) in
         * {@code filter}. The first filter added is the outermost; all of them are outside the error handlers.
         *
         * <pre>{@code
         * .filter((stanza, session, next) -> session.isSecure()
         *     ? next.handle(stanza, session)
         *     : Mono.error(new StanzaErrorException(StanzaError.Condition.NOT_AUTHORIZED, "TLS required")))
         * }</pre>
         */
        public Builder filter(StanzaFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * Answers an error of type {@code type} that a handler of this builder signals (or throws) with what
         * {@code handler} returns. Error handlers are tried in the order added, the first whose type fits wins;
         * an error none takes goes on to the router. They sit inside the filters, so a filter's own error is not
         * theirs.
         *
         * <pre>{@code
         * .onError(NoSuchElementException.class, (e, stanza, session) ->
         *     Mono.just(((Iq) stanza).error(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND))))
         * }</pre>
         */
        public <E extends Throwable> Builder onError(Class<E> type, ErrorHandler<? super E> handler) {
            errorHandlers.add(new ErrorEntry<>(Objects.requireNonNull(type, "type"),
                    Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /**
         * Advertises one more service discovery feature (XEP-0030 section 3.1), for routes that implement a
         * protocol without an {@code iqGet}/{@code iqSet} route of its namespace.
         *
         * <pre>{@code
         * .message(hasExtension("urn:xmpp:receipts", "request"), receipts)
         * .feature("urn:xmpp:receipts")
         * }</pre>
         */
        public Builder feature(String var) {
            features.add(Objects.requireNonNull(var, "var"));
            return this;
        }

        /**
         * Uses this payload binding for the typed routes added after this call (and in nests opened after it);
         * by default a shared {@code new PayloadBinding()}.
         *
         * <pre>{@code
         * .binding(new PayloadBinding(mapper -> mapper.addModule(myModule)))
         * .iqGet(WeatherQuery.class, weatherHandler)
         * }</pre>
         */
        public Builder binding(PayloadBinding binding) {
            this.binding = Objects.requireNonNull(binding, "binding");
            return this;
        }

        /**
         * The routes added so far, as an immutable {@link StanzaRoutes}; the builder stays usable.
         *
         * <pre>{@code
         * XmppRouter router = XmppRouter.create().domain("example.com").routes(builder.build());
         * }</pre>
         */
        public StanzaRoutes build() {
            if (routes.isEmpty() && filters.isEmpty() && errorHandlers.isEmpty() && features.isEmpty()) {
                return EMPTY;
            }
            return new StanzaRoutes(List.copyOf(routes), List.copyOf(filters), List.copyOf(errorHandlers),
                    Collections.unmodifiableSet(new TreeSet<>(features)));
        }

        private Builder iqRoute(StanzaPredicate predicate, String namespace, StanzaHandler<Iq> handler) {
            add(predicate, handler, Iq.class);
            features.add(namespace);
            return this;
        }

        private <S extends Stanza> Builder add(StanzaPredicate predicate, StanzaHandler<S> handler, Class<S> kind) {
            Objects.requireNonNull(handler, "handler");
            StanzaHandler<Stanza> widened = kind == Stanza.class ? cast(handler)
                    : (stanza, session) -> handler.handle(kind.cast(stanza), session);
            routes.add(new PredicateRoute(predicate, Mono.just(widened)));
            return this;
        }

        private PayloadBinding binding() {
            PayloadBinding b = binding;
            return b == null ? DefaultBinding.INSTANCE : b;
        }

        @SuppressWarnings("unchecked")
        private static <S extends Stanza> StanzaHandler<Stanza> cast(StanzaHandler<S> handler) {
            return (StanzaHandler<Stanza>) handler;
        }
    }
}
