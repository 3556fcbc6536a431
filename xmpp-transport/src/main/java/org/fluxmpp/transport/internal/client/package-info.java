/**
 * The client's stream (negotiation, the living stream, keepalives) and where to connect (DNS SRV, RFC 6120
 * section 3.2 and XEP-0368); not public API.
 */
@NullMarked
package org.fluxmpp.transport.internal.client;

import org.jspecify.annotations.NullMarked;
