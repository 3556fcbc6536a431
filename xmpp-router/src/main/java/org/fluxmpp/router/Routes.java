package org.fluxmpp.router;

import java.util.Objects;
import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.routing.StanzaRoute;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.xml.XmlElement;
import reactor.core.publisher.Mono;

/**
 * Small factories of {@link StanzaRoute}s for {@link XmppRouter#route(StanzaRoute)}: an IQ by type and payload name,
 * any message, any presence, and the built-in ping.
 *
 * <pre>{@code
 * XmppRouter router = XmppRouter.create()
 *     .domain("example.com")
 *     .route(Routes.iq(Iq.Type.GET, "jabber:iq:version", "query",
 *         (iq, session) -> Mono.just(iq.result(versionElement))))
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
     * qualified name.
     *
     * @throws NullPointerException when an argument is {@code null}
     */
    public static StanzaRoute iq(Iq.Type type, String namespace, String localName, StanzaHandler<Iq> handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(localName, "localName");
        Mono<StanzaHandler<Stanza>> match = matched(handler, Iq.class);
        return (stanza, session) -> {
            if (stanza instanceof Iq iq && iq.type() == type) {
                XmlElement payload = iq.payload();
                if (payload != null && payload.is(namespace, localName)) {
                    return match;
                }
            }
            return Mono.empty();
        };
    }

    /**
     * A route taking every message.
     *
     * @throws NullPointerException when the handler is {@code null}
     */
    public static StanzaRoute message(StanzaHandler<Message> handler) {
        Mono<StanzaHandler<Stanza>> match = matched(handler, Message.class);
        return (stanza, session) -> stanza instanceof Message ? match : Mono.empty();
    }

    /**
     * A route taking every presence.
     *
     * @throws NullPointerException when the handler is {@code null}
     */
    public static StanzaRoute presence(StanzaHandler<Presence> handler) {
        Mono<StanzaHandler<Stanza>> match = matched(handler, Presence.class);
        return (stanza, session) -> stanza instanceof Presence ? match : Mono.empty();
    }

    /**
     * The XEP-0199 ping route: an IQ get with {@code <ping xmlns='urn:xmpp:ping'/>}, answered by
     * {@link PingHandler}.
     */
    public static StanzaRoute ping() {
        return PING;
    }

    // One Mono per route, built once: a match then costs no allocation (Mono.just is cold and reusable).
    private static <S extends Stanza> Mono<StanzaHandler<Stanza>> matched(StanzaHandler<S> handler, Class<S> type) {
        Objects.requireNonNull(handler, "handler");
        StanzaHandler<Stanza> widened = (stanza, session) -> handler.handle(type.cast(stanza), session);
        return Mono.just(widened);
    }
}
