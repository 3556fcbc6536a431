package org.fluxmpp.router;

import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.xml.XmlElement;
import reactor.core.publisher.Mono;

/**
 * Answers a service discovery information request (XEP-0030 section 3.1) with the server's identity
 * ({@code server/im}, XEP-0030's registry) and a fixed list of features.
 *
 * <p>{@link XmppRouter} installs one for requests to a served domain, after the user's routes, with the features
 * of its routes ({@link StanzaRoutes#features()}) and of the built-in handlers.
 *
 * <pre>{@code
 * <iq type='get' id='d1' to='example.com'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>
 * <iq type='result' id='d1' from='example.com' to='juliet@example.com/balcony'>
 *   <query xmlns='http://jabber.org/protocol/disco#info'>
 *     <identity category='server' type='im'/>
 *     <feature var='http://jabber.org/protocol/disco#info'/>
 *     <feature var='urn:xmpp:ping'/>
 *   </query>
 * </iq>
 * }</pre>
 *
 * <p>Errors: a request for a {@code node} is answered with {@code item-not-found} (XEP-0030 section 3.1: the server
 * has no nodes). Nothing else.
 */
public final class DiscoInfoHandler implements StanzaHandler<Iq> {

    /** The namespace of service discovery information: {@value}. */
    public static final String NAMESPACE = "http://jabber.org/protocol/disco#info";
    /** The payload's local name: {@value}. */
    public static final String ELEMENT = "query";

    private final Set<String> features;
    private final XmlElement answer;

    /**
     * A handler answering with the {@code server/im} identity and these features ({@link #NAMESPACE} is always
     * among them, as XEP-0030 section 3.1 requires), in alphabetical order.
     *
     * <pre>{@code
     * StanzaHandler<Iq> info = new DiscoInfoHandler(List.of("urn:xmpp:ping", "jabber:iq:version"));
     * }</pre>
     *
     * @throws NullPointerException when the collection or one of its features is {@code null}
     */
    public DiscoInfoHandler(Collection<String> features) {
        TreeSet<String> sorted = new TreeSet<>(Objects.requireNonNull(features, "features"));
        sorted.add(NAMESPACE);
        this.features = Collections.unmodifiableSet(sorted);
        XmlElement.Builder query = XmlElement.builder(NAMESPACE, ELEMENT)
                .child(XmlElement.builder(NAMESPACE, "identity")
                        .attribute("category", "server").attribute("type", "im").build());
        for (String var : sorted) {
            query.child(XmlElement.builder(NAMESPACE, "feature").attribute("var", var).build());
        }
        this.answer = query.build();
    }

    /** The features listed, in alphabetical order. */
    public Set<String> features() {
        return features;
    }

    /**
     * The identity and the features, as a result to this request.
     *
     * @return the result; signals {@link StanzaErrorException} with {@code item-not-found} for a {@code node}
     */
    @Override
    public Mono<Iq> handle(Iq request, XmppSession session) {
        XmlElement query = request.payload();
        if (query != null && query.attribute("node") != null) {
            return Mono.error(new StanzaErrorException(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND)));
        }
        return Mono.just(request.result(answer));
    }
}
