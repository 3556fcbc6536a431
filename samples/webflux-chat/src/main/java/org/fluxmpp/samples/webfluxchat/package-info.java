/**
 * The WebFlux chat sample: a Spring Boot application that serves, on one HTTPS port, a chat page with a JavaScript
 * XMPP client, XMPP over WebSocket (through Fluxmpp's starter), a REST endpoint that has a bot account send a message,
 * and server-sent events of the messages the bot receives.
 */
@NullMarked
package org.fluxmpp.samples.webfluxchat;

import org.jspecify.annotations.NullMarked;
