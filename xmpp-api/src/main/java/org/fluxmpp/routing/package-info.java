/**
 * The function types that join transports and routing: {@link org.fluxmpp.routing.StanzaRouter} (what a transport
 * hands stanzas to), {@link org.fluxmpp.routing.StanzaRoute} and {@link org.fluxmpp.routing.StanzaHandler} (what users
 * write, for the server and the client alike).
 */
@NullMarked
package org.fluxmpp.routing;

import org.jspecify.annotations.NullMarked;
