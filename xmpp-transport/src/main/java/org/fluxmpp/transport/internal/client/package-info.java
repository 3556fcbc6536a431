/**
 * The client's stream (negotiation, the living stream, keepalives) and where to connect; not public API.
 */
@NullMarked
package org.fluxmpp.transport.internal.client;

import org.jspecify.annotations.NullMarked;
