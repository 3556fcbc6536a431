package org.fluxmpp.transport;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.function.BiFunction;
import org.fluxmpp.transport.internal.C2sConnection;
import org.fluxmpp.transport.internal.OpenStreams;
import org.fluxmpp.transport.internal.ServerMetrics;
import org.fluxmpp.transport.internal.StreamFraming;
import org.fluxmpp.transport.internal.WebSocketStreamDecoder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * Serves XMPP over WebSocket (RFC 7395) on WebSocket connections that an HTTP server outside Fluxmpp upgraded: a
 * reactor-netty {@code HttpServer} route of the application's own, or Spring WebFlux on Reactor Netty (the Spring
 * Boot starter maps it beside the application's controllers, so XMPP shares the application's HTTPS port). Streams
 * served here belong to the {@link BoundXmppServer} it came from: the same negotiation, SASL, binding, router and
 * meters, and they end with {@code system-shutdown} when that server is disposed.
 *
 * <pre>{@code
 * BoundXmppServer xmpp = XmppServer.create()...bindNow();
 * XmppWebSocketHandler handler = xmpp.webSocketHandler();
 * HttpServer.create().port(8443).secure(...)
 *     .route(r -> r.get("/xmpp-websocket", (req, res) -> res.sendWebsocket(handler, handler.serverSpec())))
 *     .bindNow();
 * }</pre>
 *
 * <p>The connection must have negotiated the {@value #PROTOCOL} sub-protocol (RFC 7395 3.1); one that did not is
 * closed at once with status 1002 (protocol error). A connection whose pipeline holds Netty's {@link SslHandler} is
 * {@code wss}, so SASL may use PLAIN and the -PLUS mechanisms; on any other, the server's
 * {@link XmppServer#tlsRequired(boolean)} applies (no STARTTLS exists on WebSocket, so with TLS required a plain
 * {@code ws} client cannot authenticate).
 */
public final class XmppWebSocketHandler
        implements BiFunction<WebsocketInbound, WebsocketOutbound, Publisher<Void>> {

    /** The WebSocket sub-protocol of RFC 7395: {@value}. */
    public static final String PROTOCOL = "xmpp";

    private final XmppServer config;
    private final OpenStreams streams;
    private final ServerMetrics metrics;

    XmppWebSocketHandler(XmppServer config, OpenStreams streams, ServerMetrics metrics) {
        this.config = config;
        this.streams = streams;
        this.metrics = metrics;
    }

    /**
     * Whether a handshake's {@code Sec-WebSocket-Protocol} headers (each a comma-separated list) ask for
     * {@value #PROTOCOL}: an HTTP server should refuse one that does not (400) before upgrading (RFC 7395 3.1).
     */
    public static boolean asksForXmpp(List<String> secWebSocketProtocolHeaders) {
        for (String header : secWebSocketProtocolHeaders) {
            for (String protocol : header.split(",")) {
                if (protocol.trim().equals(PROTOCOL)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The WebSocket settings to upgrade with: sub-protocol {@value #PROTOCOL}, and frames up to the decoder's stanza
     * limit ({@link org.fluxmpp.codec.DecoderLimits#maxStanzaBytes()}), so a stanza the stream accepts is never cut
     * by a smaller frame limit.
     */
    public WebsocketServerSpec serverSpec() {
        return WebsocketServerSpec.builder()
                .protocols(PROTOCOL)
                .maxFramePayloadLength(config.limits().maxStanzaBytes())
                .build();
    }

    /**
     * Runs one XMPP stream on an upgraded connection; it lives as long as the returned publisher.
     *
     * @return completes when the stream has ended and the connection is closed
     */
    @Override
    public Publisher<Void> apply(WebsocketInbound in, WebsocketOutbound out) {
        return serve(in, out, false);
    }

    /**
     * Runs one XMPP stream on an upgraded connection, as {@link #apply} does, where the HTTP server knows that TLS
     * was terminated in front of it.
     *
     * @param tlsTerminatedUpstream {@code true} when a proxy the application trusts received the request over TLS
     *                              (its forwarded headers said {@code https}, and the application opted in to
     *                              believing them): the stream counts as {@code wss}, so PLAIN is offered; the
     *                              -PLUS mechanisms are not, as there is no TLS channel here to bind to
     * @return completes when the stream has ended and the connection is closed
     */
    public Publisher<Void> serve(WebsocketInbound in, WebsocketOutbound out, boolean tlsTerminatedUpstream) {
        if (!PROTOCOL.equals(in.selectedSubprotocol())) {
            return out.sendClose(WebSocketCloseStatus.PROTOCOL_ERROR.code(),
                    "the xmpp sub-protocol is required (RFC 7395 3.1)");
        }
        boolean[] secure = {tlsTerminatedUpstream};
        int maxStanzaBytes = config.limits().maxStanzaBytes();
        in.withConnection(c -> {
            secure[0] |= c.channel().pipeline().get(SslHandler.class) != null;
            // A message may come in continuation frames; the decoder wants it whole.
            c.addHandlerLast("fluxmpp.wsAggregator", new WebSocketFrameAggregator(maxStanzaBytes));
            // Reads stop for a while: the decoder compacts (it keeps nothing for an idle stream).
            c.addHandlerLast("fluxmpp.idle", new IdleStateHandler(XmppServer.IDLE_COMPACT_SECONDS, 0, 0));
            c.addHandlerLast(WebSocketStreamDecoder.NAME, new WebSocketStreamDecoder(config.limits()));
        });
        C2sConnection stream = new C2sConnection(config, in, out, secure[0], StreamFraming.webSocket(), metrics);
        streams.add(stream);
        return Flux.from(stream.run()).doFinally(signal -> streams.remove(stream));
    }
}
