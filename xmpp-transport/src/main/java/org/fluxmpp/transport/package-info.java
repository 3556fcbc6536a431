/**
 * The XMPP server on reactor-netty TCP (RFC 6120): {@link org.fluxmpp.transport.XmppServer} and its TLS and SASL
 * settings. Client-to-server streams are negotiated here (STARTTLS or direct TLS, SASL, resource binding) and their
 * stanzas handed to a {@link org.fluxmpp.routing.StanzaRouter}.
 */
@NullMarked
package org.fluxmpp.transport;

import org.jspecify.annotations.NullMarked;
