/**
 * Spring Boot auto-configuration of Fluxmpp: an {@link org.fluxmpp.transport.XmppServer} bound to the application's
 * lifecycle from {@code fluxmpp.server.*}, XMPP over WebSocket (RFC 7395) on a WebFlux application's port, an
 * {@link org.fluxmpp.transport.XmppClient} from {@code fluxmpp.client.*}, Micrometer metrics and an Actuator health
 * indicator.
 */
@NullMarked
package org.fluxmpp.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
