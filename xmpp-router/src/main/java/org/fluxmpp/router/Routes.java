package org.fluxmpp.router;

import java.util.Objects;
import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.routing.StanzaRoute;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;

/**
 * Small factories of single {@link StanzaRoute}s for {@link XmppRouter#route(StanzaRoute)}: an IQ by type and
 * payload name, any message, any presence, and the built-in ping. Shortcuts for one-route
 * {@link StanzaRoutes#route()} builders, which compose several routes, filters and error handlers.
 *
 * <pre>{@code
 * XmppRouter router = XmppRouter.create()
 *     .domain("example.com")
 *     .route(Routes.iq(Iq.Type.GET, "urn:xmpp:time", "time",
 *         (iq, session) -> Mono.just(iq.result(timeElement))))
 *     .route(Routes.message((msg, session) -> Mono.just(echo(msg))));
 * }</pre>
 *
 * <p>A route built here never signals an error itself; what its handler signals is answered by the router
 * ({@link org.fluxmpp.stanza.StanzaErrorException} with that error, anything else with
 * {@code internal-server-error}, RFC 6120 section 8.3.3.6).
 */
public final class Routes {

    private static final StanzaRoute PING = iq(Iq.Type.GET, PingHandler.NAMESPACE, PingHandler.ELEMENT,
            new PingHandler());

    private Routes() {
    }

    /**
     * A route taking an IQ of this type whose payload (RFC 6120 section 8.2.3: the one child of a request) has this
     * qualified name. For a {@code get} or {@code set}, the namespace is a disco feature (XEP-0030) of the route,
     * as with {@link StanzaRoutes.Builder#iqGet(String, String, StanzaHandler)}.
     *
     * <pre>{@code
     * StanzaRoute time = Routes.iq(Iq.Type.GET, "urn:xmpp:time", "time", timeHandler);
     * }</pre>
     *
     * @throws NullPointerException when an argument is {@code null}
     */
    public static StanzaRoute iq(Iq.Type type, String namespace, String localName, StanzaHandler<Iq> handler) {
        Objects.requireNonNull(type, "type");
        StanzaRoutes.Builder b = StanzaRoutes.route();
        return switch (type) {
            case GET -> b.iqGet(namespace, localName, handler).build();
            case SET -> b.iqSet(namespace, localName, handler).build();
            default -> b.iq(StanzaPredicates.iq(type).and(StanzaPredicates.payload(namespace, localName)), handler)
                    .build();
        };
    }

    /**
     * A route taking every message.
     *
     * <pre>{@code
     * StanzaRoute echo = Routes.message((msg, session) -> Mono.just(echo(msg)));
     * }</pre>
     *
     * @throws NullPointerException when the handler is {@code null}
     */
    public static StanzaRoute message(StanzaHandler<Message> handler) {
        return StanzaRoutes.route().message(handler).build();
    }

    /**
     * A route taking every presence.
     *
     * <pre>{@code
     * StanzaRoute presences = Routes.presence((presence, session) -> Mono.empty());
     * }</pre>
     *
     * @throws NullPointerException when the handler is {@code null}
     */
    public static StanzaRoute presence(StanzaHandler<Presence> handler) {
        return StanzaRoutes.route().presence(handler).build();
    }

    /**
     * The XEP-0199 ping route: an IQ get with {@code <ping xmlns='urn:xmpp:ping'/>}, answered by
     * {@link PingHandler}.
     *
     * <pre>{@code
     * StanzaRoute ping = Routes.ping();
     * }</pre>
     */
    public static StanzaRoute ping() {
        return PING;
    }
}
