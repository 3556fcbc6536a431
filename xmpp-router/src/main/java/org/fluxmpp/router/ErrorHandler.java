package org.fluxmpp.router;

import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;
import org.reactivestreams.Publisher;

/**
 * Turns an error a handler signalled into stanzas, for {@link StanzaRoutes.Builder#onError}: typically an IQ error
 * reply (RFC 6120 section 8.3) with a condition that fits the failure better than {@code internal-server-error}.
 *
 * <pre>{@code
 * StanzaRoute route = StanzaRoutes.route()
 *     .iqGet("urn:example:weather", "weather", weatherHandler)
 *     .onError(NoSuchCityException.class, (error, stanza, session) -> Mono.just(((Iq) stanza).error(
 *         StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND, error.getMessage()))))
 *     .build();
 * }</pre>
 *
 * <p>Errors: what the returned publisher signals goes to the router like a handler's error. An error reply must
 * never answer an error stanza or an IQ response (RFC 6120 section 8.3.1); {@link Stanza#errorReply} refuses the
 * first with {@code IllegalStateException}.
 *
 * @param <E> the type of error handled
 */
@FunctionalInterface
public interface ErrorHandler<E extends Throwable> {

    /**
     * Answers a failed stanza.
     *
     * @param error   what the handler signalled (or threw)
     * @param stanza  the stanza the handler was handling
     * @param session the session that sent it
     * @return the stanzas to send out instead, routed as if the server had sent them
     */
    Publisher<? extends Stanza> handle(E error, Stanza stanza, XmppSession session);
}
