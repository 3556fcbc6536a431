package org.fluxmpp.router;

import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;
import org.reactivestreams.Publisher;

/**
 * Wraps the handlers of a {@link StanzaRoutes} built with {@link StanzaRoutes.Builder#filter}: it sees the stanza
 * before the handler, decides whether and how to call it, and may change what it emits.
 *
 * <pre>{@code
 * StanzaFilter secureOnly = (stanza, session, next) -> session.isSecure()
 *     ? next.handle(stanza, session)
 *     : Mono.error(new StanzaErrorException(StanzaError.Condition.NOT_AUTHORIZED, "TLS required"));
 * StanzaFilter timed = (stanza, session, next) -> Flux.from(next.handle(stanza, session))
 *     .doFinally(signal -> metrics.record(stanza));
 *
 * StanzaRoute route = StanzaRoutes.route()
 *     .iqGet("urn:example:admin", "query", adminHandler)
 *     .filter(timed)          // outermost: added first
 *     .filter(secureOnly)
 *     .build();
 * }</pre>
 *
 * <p>Errors: what the returned publisher signals goes to the router like a handler's error:
 * {@link org.fluxmpp.stanza.StanzaErrorException} answers the stanza with that stanza error (RFC 6120 section
 * 8.3), anything else with {@code internal-server-error}. A filter must not block.
 */
@FunctionalInterface
public interface StanzaFilter {

    /**
     * Handles a stanza around {@code next}.
     *
     * @param stanza  the stanza the route took
     * @param session the session that sent it
     * @param next    the next filter, or the handler itself; calling it is optional
     * @return the stanzas to send out, routed as if the server had sent them
     */
    Publisher<? extends Stanza> filter(Stanza stanza, XmppSession session, StanzaHandler<Stanza> next);
}
