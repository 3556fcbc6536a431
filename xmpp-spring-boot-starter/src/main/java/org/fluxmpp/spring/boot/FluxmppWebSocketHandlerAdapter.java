package org.fluxmpp.spring.boot;

import java.util.List;
import java.util.function.Supplier;
import org.fluxmpp.transport.XmppWebSocketHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * Upgrades requests mapped to a {@link FluxmppWebSocketHandler}, and only those (ahead of the application's own
 * adapter): WebFlux's {@link HandshakeWebSocketService} checks the handshake, then the connection is upgraded on
 * Reactor Netty and handed to the XMPP stream as it is. Two differences from WebFlux's default: a handshake that does
 * not ask for the {@value XmppWebSocketHandler#PROTOCOL} sub-protocol is refused with 400 before the upgrade
 * (RFC 7395 3.1), as the stand-alone server does, and the frame limit is the XMPP stanza limit rather than WebFlux's
 * 64 KiB, so a stanza the stream accepts is never cut by the WebSocket layer.
 */
public final class FluxmppWebSocketHandlerAdapter extends WebSocketHandlerAdapter {

    /** Upgrades with frames up to {@code maxFrameBytes}. */
    public FluxmppWebSocketHandlerAdapter(int maxFrameBytes) {
        super(new HandshakeWebSocketService(new Upgrade(maxFrameBytes)));
        setOrder(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    public boolean supports(Object handler) {
        return handler instanceof FluxmppWebSocketHandler;
    }

    @Override
    public Mono<HandlerResult> handle(ServerWebExchange exchange, Object handler) {
        List<String> protocols = exchange.getRequest().getHeaders().getOrEmpty("Sec-WebSocket-Protocol");
        if (!XmppWebSocketHandler.asksForXmpp(protocols)) {
            exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
            return exchange.getResponse().setComplete().then(Mono.empty());
        }
        return super.handle(exchange, handler);
    }

    /** The upgrade on Reactor Netty, as WebFlux's own strategy does it, but handing over the connection itself. */
    private static final class Upgrade implements RequestUpgradeStrategy {

        private final int maxFrameBytes;

        Upgrade(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
        }

        @Override
        public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, @Nullable String subProtocol,
                                  Supplier<HandshakeInfo> handshakeInfo) {
            ServerHttpResponse response = exchange.getResponse();
            Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
            if (!(nativeResponse instanceof HttpServerResponse netty)) {
                // WebFlux on Tomcat, Jetty or Undertow: the XMPP stream runs on a Netty event loop only.
                return Mono.error(new IllegalStateException("XMPP over WebSocket needs WebFlux on Reactor Netty, not "
                        + nativeResponse.getClass().getName()));
            }
            FluxmppWebSocketHandler xmpp = (FluxmppWebSocketHandler) handler;
            // https over this connection, or over a trusted proxy's (forwarded headers the application believes).
            boolean https = "https".equals(exchange.getRequest().getURI().getScheme());
            WebsocketServerSpec spec = WebsocketServerSpec.builder()
                    .protocols(XmppWebSocketHandler.PROTOCOL)
                    .maxFramePayloadLength(maxFrameBytes)
                    .build();
            // setComplete() first runs WebFlux's commit actions (headers, session), as its own strategy does.
            return response.setComplete().then(Mono.defer(() ->
                    netty.sendWebsocket((in, out) -> xmpp.serve(in, out, https), spec)));
        }
    }
}
