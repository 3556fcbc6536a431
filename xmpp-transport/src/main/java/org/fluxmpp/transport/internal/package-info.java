/**
 * Internals of the transport: the per-connection stream state machine, the decoder in the Netty pipeline, and the
 * bounded outbound queue. Not API.
 */
@NullMarked
package org.fluxmpp.transport.internal;

import org.jspecify.annotations.NullMarked;
