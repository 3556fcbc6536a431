package org.fluxmpp.transport;

import io.netty.channel.Channel;
import java.net.URI;
import java.time.Duration;
import org.fluxmpp.transport.internal.OpenStreams;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * A listening {@link XmppServer}: the STARTTLS port and, when configured, the direct TLS port (XEP-0368) and the
 * XMPP over WebSocket port (RFC 7395), disposed together.
 *
 * <pre>{@code
 * BoundXmppServer server = XmppServer.create()...directTlsPort(5223).bindNow();
 * int starttls = server.port(), direct = server.directTlsPort();
 * server.disposeNow();
 * }</pre>
 */
public final class BoundXmppServer implements DisposableServer {

    private final DisposableServer starttls;
    private final @Nullable DisposableServer directTls;
    private final @Nullable DisposableServer webSocket;
    private final OpenStreams streams;
    private final XmppWebSocketHandler webSocketHandler;
    private final Disposable accountRemovals;

    BoundXmppServer(DisposableServer starttls, @Nullable DisposableServer directTls,
                    @Nullable DisposableServer webSocket, OpenStreams streams, XmppWebSocketHandler webSocketHandler,
                    Disposable accountRemovals) {
        this.starttls = starttls;
        this.directTls = directTls;
        this.webSocket = webSocket;
        this.streams = streams;
        this.webSocketHandler = webSocketHandler;
        this.accountRemovals = accountRemovals;
    }

    /**
     * Serves XMPP over WebSocket (RFC 7395) on connections upgraded by another HTTP server (an application's
     * reactor-netty routes, or Spring WebFlux on Reactor Netty), as streams of this server: ended by
     * {@link #dispose()}, counted by {@link #streamCount()} and its meters.
     */
    public XmppWebSocketHandler webSocketHandler() {
        return webSocketHandler;
    }

    /** The number of open streams (negotiating or bound) on all ports and {@link #webSocketHandler()}. */
    public int streamCount() {
        return streams.size();
    }

    /**
     * Stops accepting connections first (so no client, reconnecting at once, lands on a server that is going away),
     * then ends every open stream, negotiating or bound, with {@code system-shutdown} (RFC 6120 4.9.3.20), so
     * clients know why.
     */
    private void shutDownStreams() {
        accountRemovals.dispose();
        starttls.channel().close();
        if (directTls != null) {
            directTls.channel().close();
        }
        if (webSocket != null) {
            webSocket.channel().close();
        }
        streams.stop();
    }

    /**
     * Sends every client to another server, for example before this one is taken down for maintenance: each open
     * stream, and each stream opened from now on, ends at once, a TCP stream with {@code see-other-host} naming
     * {@code otherHost} (RFC 6120 4.9.3.19) and a WebSocket stream with {@code <close see-other-uri='...'/>}
     * naming {@code otherWebSocket} (RFC 7395 3.6.1). The ports stay open (so late clients hear it too) until
     * {@link #dispose()}. Clients must still authenticate the original XMPP domain there (RFC 6120 4.9.3.19): the
     * other server needs a certificate for it.
     *
     * @param otherHost      a domain name or an IP address (IPv6 in brackets), optionally with {@code :port}
     * @param otherWebSocket the other server's WebSocket endpoint, {@code wss:} (a client must not accept a less
     *                       secure one, RFC 7395 3.6.1)
     * @throws IllegalArgumentException when {@code otherHost} is blank or {@code otherWebSocket} is not
     *                                  {@code wss:} or {@code ws:}
     */
    public void redirect(String otherHost, URI otherWebSocket) {
        if (otherHost.isBlank()) {
            throw new IllegalArgumentException("otherHost is blank");
        }
        String scheme = otherWebSocket.getScheme();
        if (!"wss".equals(scheme) && !"ws".equals(scheme)) {
            throw new IllegalArgumentException("not a WebSocket URI: " + otherWebSocket);
        }
        streams.redirect(new OpenStreams.Redirect(otherHost, otherWebSocket));
    }

    /** The channel of the STARTTLS port. */
    @Override
    public Channel channel() {
        return starttls.channel();
    }

    /** The STARTTLS port (for example 5222). */
    @Override
    public int port() {
        return starttls.port();
    }

    /** The direct TLS port, or -1 when direct TLS is off. */
    public int directTlsPort() {
        return directTls == null ? -1 : directTls.port();
    }

    /** The XMPP over WebSocket port (RFC 7395), or -1 when WebSocket is off. */
    public int webSocketPort() {
        return webSocket == null ? -1 : webSocket.port();
    }

    /** Stops listening on every port and ends every stream with {@code system-shutdown}, without waiting. */
    @Override
    public void dispose() {
        shutDownStreams();
        starttls.dispose();
        if (directTls != null) {
            directTls.dispose();
        }
        if (webSocket != null) {
            webSocket.dispose();
        }
    }

    /**
     * Stops listening on every port, ends every stream with {@code system-shutdown}, and gives them up to
     * {@code timeout} to say so.
     */
    @Override
    public void disposeNow(Duration timeout) {
        shutDownStreams();
        if (!streams.isEmpty()) {
            Flux.interval(Duration.ofMillis(10))
                    .filter(tick -> streams.isEmpty())
                    .next()
                    .timeout(timeout, Mono.empty())
                    .block();
        }
        starttls.disposeNow(timeout);
        if (directTls != null) {
            directTls.disposeNow(timeout);
        }
        if (webSocket != null) {
            webSocket.disposeNow(timeout);
        }
    }

    @Override
    public boolean isDisposed() {
        return starttls.isDisposed() && (directTls == null || directTls.isDisposed())
                && (webSocket == null || webSocket.isDisposed());
    }

    /** Completes when every port is closed. */
    @Override
    public Mono<Void> onDispose() {
        return Mono.when(starttls.onDispose(), directTls == null ? Mono.empty() : directTls.onDispose(),
                webSocket == null ? Mono.empty() : webSocket.onDispose());
    }
}
