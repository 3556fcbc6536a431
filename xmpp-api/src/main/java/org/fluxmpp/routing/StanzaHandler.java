package org.fluxmpp.routing;

import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;
import org.reactivestreams.Publisher;

/**
 * Handles one stanza: the stanza and the session it came from in, stanzas to send out (replies, forwards).
 *
 * <pre>{@code
 * StanzaHandler<Iq> ping = (iq, session) -> Mono.just(iq.result());
 * }</pre>
 *
 * <p>Signalling {@link org.fluxmpp.stanza.StanzaErrorException} answers a request with that error.
 *
 * @param <S> the stanza type handled
 */
@FunctionalInterface
public interface StanzaHandler<S extends Stanza> {

    /** Handles the stanza; the returned stanzas are routed as if the server had sent them. */
    Publisher<? extends Stanza> handle(S stanza, XmppSession session);
}
