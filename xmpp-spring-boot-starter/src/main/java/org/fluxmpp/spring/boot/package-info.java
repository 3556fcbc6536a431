/**
 * Fluxmpp in a Spring application: the server and client bound to the application context's lifecycle, the Spring
 * WebFlux {@link org.springframework.web.reactive.socket.WebSocketHandler} that serves XMPP over WebSocket
 * (RFC 7395) beside the application's controllers, and the Actuator health indicator.
 */
@NullMarked
package org.fluxmpp.spring.boot;

import org.jspecify.annotations.NullMarked;
