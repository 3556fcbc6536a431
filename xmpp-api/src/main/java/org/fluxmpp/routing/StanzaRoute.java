package org.fluxmpp.routing;

import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;
import reactor.core.publisher.Mono;

/**
 * Picks the handler for a stanza: an empty {@code Mono} means "no match", so routes compose with first match wins.
 *
 * <pre>{@code
 * StanzaRoute route = (stanza, session) -> stanza instanceof Iq iq && iq.payload() != null
 *         && iq.payload().is("urn:xmpp:ping", "ping")
 *     ? Mono.just((s, sess) -> Mono.just(((Iq) s).result()))
 *     : Mono.empty();
 * }</pre>
 */
@FunctionalInterface
public interface StanzaRoute {

    /** The handler for this stanza, or empty when this route does not take it. */
    Mono<StanzaHandler<Stanza>> route(Stanza stanza, XmppSession session);
}
