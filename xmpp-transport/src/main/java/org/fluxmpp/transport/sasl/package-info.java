/**
 * SASL authentication (RFC 6120 section 6): SCRAM keys (RFC 5802, RFC 7677) and where they are stored.
 */
@NullMarked
package org.fluxmpp.transport.sasl;

import org.jspecify.annotations.NullMarked;
