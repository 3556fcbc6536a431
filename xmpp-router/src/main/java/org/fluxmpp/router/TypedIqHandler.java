package org.fluxmpp.router;

import java.util.Objects;
import com.fasterxml.jackson.annotation.JsonRootName;
import javax.xml.namespace.QName;
import org.fluxmpp.codec.PayloadBinding;
import org.fluxmpp.codec.PayloadBindingException;
import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.xml.XmlElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * Reads an IQ request's payload as a {@code T}, calls a {@link PayloadHandler}, and answers with a result carrying
 * what it returned: the adapter behind {@link StanzaRoutes#typed}.
 *
 * @param <T> the payload type
 */
final class TypedIqHandler<T> implements StanzaHandler<Iq> {

    private static final Logger log = LoggerFactory.getLogger(TypedIqHandler.class);

    private final PayloadBinding binding;
    private final Class<T> type;
    private final PayloadHandler<? super T, ?> handler;

    TypedIqHandler(PayloadBinding binding, Class<T> type, PayloadHandler<? super T, ?> handler) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.type = Objects.requireNonNull(type, "type");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public Mono<Iq> handle(Iq iq, XmppSession session) {
        XmlElement payload = iq.payload();
        if (payload == null || !iq.isRequest()) {
            return Mono.error(new StanzaErrorException(StanzaError.Condition.BAD_REQUEST, "no request payload"));
        }
        T value;
        try {
            value = binding.read(payload, type);
        } catch (PayloadBindingException e) {
            // RFC 6120 8.3.3.1: the payload does not fit what the service understands. Jackson's message stays in
            // the log: it describes our types, not the peer's mistake.
            if (log.isDebugEnabled()) {
                log.debug("iq id={} from {}: {}", iq.id(), iq.element().attribute("from"), e.getMessage());
            }
            return Mono.error(new StanzaErrorException(StanzaError.Condition.BAD_REQUEST,
                    "the payload " + payload.localName() + " does not fit what this service reads"));
        }
        return Mono.defer(() -> Mono.<Object>from(handler.handle(value, iq, session)))
                .map(result -> iq.result(result instanceof XmlElement e ? e : binding.write(result)))
                .switchIfEmpty(Mono.fromSupplier(iq::result));
    }

    /**
     * The qualified name of {@code type}'s root element: {@code @JsonRootName(value = ..., namespace = ...)} (what
     * Jackson 3 recommends) or {@code @JacksonXmlRootElement(namespace = ..., localName = ...)}, the names
     * {@link PayloadBinding#write(Object)} writes it with.
     *
     * @throws IllegalArgumentException when it has neither, or one without a namespace or local name
     */
    @SuppressWarnings("deprecation") // @JacksonXmlRootElement: deprecated in Jackson 3, still what most code has
    static QName rootName(Class<?> type) {
        String namespace = "";
        String localName = "";
        JsonRootName json = type.getAnnotation(JsonRootName.class);
        JacksonXmlRootElement xml = type.getAnnotation(JacksonXmlRootElement.class);
        if (json != null) {
            namespace = json.namespace();
            localName = json.value();
        } else if (xml != null) {
            namespace = xml.namespace();
            localName = xml.localName();
        }
        if (namespace.isEmpty() || localName.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " needs @JsonRootName(value = ..., namespace = ...)"
                    + " or @JacksonXmlRootElement(namespace = ..., localName = ...), or give the payload's namespace"
                    + " and local name explicitly");
        }
        return new QName(namespace, localName);
    }
}
