package org.fluxmpp.router;

import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.xml.XmlElement;
import reactor.core.publisher.Mono;

/**
 * Answers a service discovery items request (XEP-0030 section 4) with an empty list: the server offers no items
 * (components, rooms) of its own yet.
 *
 * <p>{@link XmppRouter} installs one for requests to a served domain, after the user's routes; a route of the user
 * for {@code disco#items} replaces it.
 *
 * <pre>{@code
 * <iq type='get' id='d2' to='example.com'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>
 * <iq type='result' id='d2' from='example.com' to='juliet@example.com/balcony'>
 *   <query xmlns='http://jabber.org/protocol/disco#items'/>
 * </iq>
 * }</pre>
 *
 * <p>Errors: a request for a {@code node} is answered with {@code item-not-found} (XEP-0030 section 4.1).
 */
public final class DiscoItemsHandler implements StanzaHandler<Iq> {

    /** The namespace of service discovery items: {@value}. */
    public static final String NAMESPACE = "http://jabber.org/protocol/disco#items";
    /** The payload's local name: {@value}. */
    public static final String ELEMENT = "query";

    private static final XmlElement EMPTY = XmlElement.empty(NAMESPACE, ELEMENT);

    /**
     * A handler answering with no items; it holds no state, so one instance serves every router.
     *
     * <pre>{@code
     * StanzaHandler<Iq> items = new DiscoItemsHandler();
     * }</pre>
     */
    public DiscoItemsHandler() {
    }

    /**
     * The empty list, as a result to this request.
     *
     * @return the result; signals {@link StanzaErrorException} with {@code item-not-found} for a {@code node}
     */
    @Override
    public Mono<Iq> handle(Iq request, XmppSession session) {
        XmlElement query = request.payload();
        if (query != null && query.attribute("node") != null) {
            return Mono.error(new StanzaErrorException(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND)));
        }
        return Mono.just(request.result(EMPTY));
    }
}
