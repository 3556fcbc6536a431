/**
 * Server-side SASL mechanisms: SCRAM (RFC 5802, RFC 7677) and PLAIN (RFC 4616).
 */
@NullMarked
package org.fluxmpp.transport.internal.sasl;

import org.jspecify.annotations.NullMarked;
