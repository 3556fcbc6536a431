package org.fluxmpp.spring.boot;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.List;
import java.util.Objects;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.XmppWebSocketHandler;
import org.reactivestreams.Publisher;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A Spring WebFlux {@link WebSocketHandler} that serves XMPP over WebSocket (RFC 7395) as streams of an embedded
 * {@link XmppServerLifecycle}'s server: the same negotiation, SASL, binding, router and meters as its TCP port, on
 * the WebFlux application's own port, so TLS ({@code wss}) comes from the application's HTTPS. The starter maps it at
 * {@code fluxmpp.server.websocket.path}; an application can also map it itself:
 *
 * <pre>{@code
 * @Bean HandlerMapping xmppMapping(FluxmppWebSocketHandler xmpp) {
 *     return new SimpleUrlHandlerMapping(Map.of("/chat/xmpp", xmpp), -1);
 * }
 * }</pre>
 *
 * <p>It needs WebFlux on Reactor Netty (the default server of {@code spring-boot-starter-webflux}) and the
 * {@link FluxmppWebSocketHandlerAdapter} (the starter defines it), which upgrades the request on Reactor Netty and
 * hands the connection to {@link XmppWebSocketHandler} as it is, without a Spring session in between, so messages
 * are decoded straight from Netty's buffers. Upgraded by another adapter, a connection is closed at once (status
 * 1011), as it is before the XMPP server has started (1013).
 */
public final class FluxmppWebSocketHandler implements WebSocketHandler {

    private final XmppServerLifecycle server;

    /** Serves streams of this server. */
    public FluxmppWebSocketHandler(XmppServerLifecycle server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    /** The largest WebSocket message it accepts: the server's stanza limit, in bytes. */
    public int maxMessageBytes() {
        return server.config().limits().maxStanzaBytes();
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of(XmppWebSocketHandler.PROTOCOL);
    }

    /**
     * Runs one XMPP stream on a connection {@link FluxmppWebSocketHandlerAdapter} upgraded.
     *
     * @param httpsRequest whether WebFlux saw the request as {@code https}: over this connection's TLS, or over a
     *                     proxy's when the application trusts forwarded headers
     *                     ({@code server.forward-headers-strategy})
     * @return completes when the stream has ended
     */
    public Publisher<Void> serve(WebsocketInbound in, WebsocketOutbound out, boolean httpsRequest) {
        BoundXmppServer running = server.serverIfRunning();
        if (running == null) {
            return out.sendClose(WebSocketCloseStatus.TRY_AGAIN_LATER.code(), "the XMPP server is not running");
        }
        return running.webSocketHandler().serve(in, out, httpsRequest);
    }

    /** Reached only when another adapter upgraded the request: the stream needs the Netty connection itself. */
    @Override
    public Mono<Void> handle(WebSocketSession session) {
        return session.close(CloseStatus.SERVER_ERROR.withReason(
                "XMPP over WebSocket is upgraded by FluxmppWebSocketHandlerAdapter on Reactor Netty"));
    }
}
