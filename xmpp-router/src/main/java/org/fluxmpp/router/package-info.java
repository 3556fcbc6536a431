/**
 * The stanza router: {@link org.fluxmpp.router.XmppRouter} applies the delivery rules of RFC 6120 section 10 and
 * RFC 6121 section 8 to every stanza a bound session sends, hands stanzas addressed to the server to
 * {@link org.fluxmpp.routing.StanzaRoute}s (first match wins), answers ping (XEP-0199), service discovery
 * (XEP-0030) and software version (XEP-0092) requests by default, sends IQ requests of the server's own and waits
 * for their responses, and keeps bound sessions in a {@link org.fluxmpp.router.SessionRegistry}.
 *
 * <p>Routes are written with the {@link org.fluxmpp.router.StanzaRoutes} DSL, in the manner of Spring WebFlux
 * functional endpoints: handlers ({@link org.fluxmpp.routing.StanzaHandler}, or a
 * {@link org.fluxmpp.router.PayloadHandler} over Java types bound with Jackson XML), predicates
 * ({@link org.fluxmpp.router.StanzaPredicate}, ready ones in {@link org.fluxmpp.router.StanzaPredicates}),
 * filters ({@link org.fluxmpp.router.StanzaFilter}) and error handlers ({@link org.fluxmpp.router.ErrorHandler}).
 *
 * <pre>{@code
 * import static org.fluxmpp.router.StanzaPredicates.*;
 *
 * XmppRouter router = XmppRouter.create()
 *     .domain("example.com")
 *     .routes(StanzaRoutes.route()
 *         .iqGet("urn:xmpp:time", "time", timeHandler)
 *         .iqGet(WeatherQuery.class, (query, iq, session) -> forecasts.lookup(query.city()))
 *         .message(messageType(Message.Type.CHAT).and(hasBody()), chatBot)
 *         .build());
 * XmppServer.create().router(router).bindNow();
 * }</pre>
 */
@NullMarked
package org.fluxmpp.router;

import org.jspecify.annotations.NullMarked;
