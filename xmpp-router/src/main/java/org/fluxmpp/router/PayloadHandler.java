package org.fluxmpp.router;

import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.reactivestreams.Publisher;

/**
 * Handles an IQ request by its payload read as a Java type, and answers with a value that becomes the result's
 * payload (RFC 6120 section 8.2.3): what {@link StanzaRoutes.Builder#iqGet(Class, PayloadHandler)} and
 * {@link StanzaRoutes#typed(Class, PayloadHandler)} take. The payload is bound with the codec's
 * {@link org.fluxmpp.codec.PayloadBinding} (Jackson XML).
 *
 * <pre>{@code
 * @JacksonXmlRootElement(namespace = "urn:example:weather", localName = "weather")
 * record WeatherQuery(String city) { }
 * @JsonRootName(value = "forecast", namespace = "urn:example:weather")      // the Jackson 3 way
 * record Forecast(String city, double celsius) { }
 *
 * StanzaRoute route = StanzaRoutes.route()
 *     .iqGet(WeatherQuery.class, (query, iq, session) -> forecasts.lookup(query.city()))   // Mono<Forecast>
 *     .build();
 * }</pre>
 *
 * <p>The first value emitted becomes the payload of the {@code result} (written by its type's
 * {@code @JsonRootName} or {@code @JacksonXmlRootElement}, or used as is when it is an
 * {@link org.fluxmpp.xml.XmlElement}); an empty publisher answers with an empty result. Errors:
 * {@link org.fluxmpp.stanza.StanzaErrorException} answers with that error, anything else with
 * {@code internal-server-error} (RFC 6120 section 8.3.3.6).
 *
 * @param <T> the payload type read from the request
 * @param <R> the payload type of the result
 */
@FunctionalInterface
public interface PayloadHandler<T, R> {

    /**
     * Handles the request.
     *
     * @param payload the request's payload, bound to {@code T}
     * @param iq      the request itself (addresses, id)
     * @param session the session that sent it
     * @return at most one value for the result's payload; the rest, if any, is cancelled
     */
    Publisher<? extends R> handle(T payload, Iq iq, XmppSession session);
}
