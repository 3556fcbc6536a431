package org.fluxmpp.routing;

import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;
import reactor.core.publisher.Mono;

/**
 * What a transport hands sessions and their stanzas to: the join between {@code xmpp-transport} and
 * {@code xmpp-router}, so neither imports the other.
 *
 * <p>The transport calls {@link #bind} when a client binds a resource (RFC 6120 section 7), {@link #route} for each
 * stanza the session sends afterwards ({@code from} already stamped with the session's full JID, section 8.1.2.1),
 * and {@link #unbind} when the stream ends.
 *
 * <pre>{@code
 * XmppServer.create().router(myRouter).bindNow();
 * }</pre>
 */
public interface StanzaRouter {

    /**
     * Registers a session under its full JID. When another session holds that JID, the router applies its conflict
     * policy (by default the new session wins and the old one is closed with the {@code conflict} stream error).
     *
     * @return completes when the session is bound; signals
     *         {@link org.fluxmpp.stanza.StanzaErrorException} with {@code conflict} when the policy refuses it
     */
    Mono<Void> bind(XmppSession session);

    /** Forgets a session whose stream has ended; does nothing when it is not (or no longer) registered. */
    void unbind(XmppSession session);

    /**
     * Routes a stanza sent by a bound session. Errors for the sender (such as {@code service-unavailable}) are
     * delivered to the sender's session, never signalled here.
     *
     * @return completes when the stanza has been handled or queued; the transport waits for it before reading the
     *         session's next stanza, which keeps per-sender order and backpressure
     */
    Mono<Void> route(Stanza stanza, XmppSession sender);

    /**
     * Takes back a stanza that {@code session} accepted ({@link XmppSession#deliver} returned {@code true}) but
     * will never write, because its stream ended first (its outbound queue overflowed, or the connection closed).
     * The router treats it as addressed to a resource that is no longer available (RFC 6120 section 10.5.4, RFC
     * 6121 section 8.5.3.2): a message goes to another resource of the account or is answered with
     * {@code service-unavailable}, an IQ request is answered with {@code service-unavailable}, anything else is
     * dropped. Transports call it from any thread, once per stanza; it must not block.
     */
    void undeliverable(Stanza stanza, XmppSession session);
}
