/**
 * The stanza bridge sample: an XMPP account's messages as a {@code Flux} for other services, served over HTTP as
 * server-sent events, and a way to send messages back.
 */
@NullMarked
package org.fluxmpp.samples.bridge;

import org.jspecify.annotations.NullMarked;
