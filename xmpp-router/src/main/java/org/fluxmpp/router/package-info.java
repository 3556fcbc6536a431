/**
 * The stanza router: {@link org.fluxmpp.router.XmppRouter} applies the delivery rules of RFC 6120 section 10 and
 * RFC 6121 section 8 to every stanza a bound session sends, hands stanzas addressed to the server to
 * {@link org.fluxmpp.routing.StanzaRoute}s (first match wins), and keeps bound sessions in a
 * {@link org.fluxmpp.router.SessionRegistry}.
 *
 * <pre>{@code
 * XmppRouter router = XmppRouter.create()
 *     .domain("example.com")
 *     .route(Routes.iq(Iq.Type.GET, "jabber:iq:version", "query", versionHandler));
 * XmppServer.create().router(router).bindNow();
 * }</pre>
 */
@NullMarked
package org.fluxmpp.router;

import org.jspecify.annotations.NullMarked;
