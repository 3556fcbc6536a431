package org.fluxmpp.transport;

import io.netty.channel.Channel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * A listening {@link XmppServer}: the STARTTLS port and, when configured, the direct TLS port (XEP-0368), disposed
 * together.
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

    BoundXmppServer(DisposableServer starttls, @Nullable DisposableServer directTls) {
        this.starttls = starttls;
        this.directTls = directTls;
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

    /** Stops listening on both ports and closes their connections, without waiting. */
    @Override
    public void dispose() {
        starttls.dispose();
        if (directTls != null) {
            directTls.dispose();
        }
    }

    /** Stops listening on both ports and waits up to this long for each. */
    @Override
    public void disposeNow(Duration timeout) {
        starttls.disposeNow(timeout);
        if (directTls != null) {
            directTls.disposeNow(timeout);
        }
    }

    @Override
    public boolean isDisposed() {
        return starttls.isDisposed() && (directTls == null || directTls.isDisposed());
    }

    /** Completes when both ports are closed. */
    @Override
    public Mono<Void> onDispose() {
        return directTls == null ? starttls.onDispose() : Mono.when(starttls.onDispose(), directTls.onDispose());
    }
}
