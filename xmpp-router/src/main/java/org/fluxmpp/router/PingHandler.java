package org.fluxmpp.router;

import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import reactor.core.publisher.Mono;

/**
 * Answers an XMPP ping (XEP-0199 section 4.2, client-to-server ping) with an empty result.
 *
 * <p>{@link XmppRouter} installs it after the user's routes (see {@link Routes#ping()}), so a ping to the server,
 * to no address, or to an account's bare JID is answered unless a user route takes it first.
 *
 * <pre>{@code
 * <iq type='get' id='p1' to='example.com'><ping xmlns='urn:xmpp:ping'/></iq>
 * <iq type='result' id='p1' from='example.com' to='juliet@example.com/balcony'/>
 * }</pre>
 *
 * <p>Signals no error.
 */
public final class PingHandler implements StanzaHandler<Iq> {

    /** The ping namespace: {@value}. */
    public static final String NAMESPACE = "urn:xmpp:ping";
    /** The ping element's local name: {@value}. */
    public static final String ELEMENT = "ping";

    /** A ping handler; it holds no state, so one instance serves every router. */
    public PingHandler() {
    }

    /** The empty result for this ping: {@code to} and {@code from} swapped, same id. */
    @Override
    public Mono<Iq> handle(Iq ping, XmppSession session) {
        return Mono.just(ping.result());
    }
}
