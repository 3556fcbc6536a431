package org.fluxmpp.benchmarks.loadgen;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.fluxmpp.transport.ServerTls;

/**
 * The load generator's Netty choices, the cheapest this machine offers: native epoll where it loads (its timers are
 * precise to the microsecond, which the open-loop schedule needs) and BoringSSL for the client's TLS where it loads
 * (a TLS handshake then costs the generator a fraction of what the JDK's {@code SSLEngine} costs), else NIO and the
 * JDK.
 */
public final class Transport {

    private Transport() {
    }

    /** Event loops of the best available transport. */
    public static EventLoopGroup loops(int threads) {
        return new MultiThreadIoEventLoopGroup(threads,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** The socket channel class that goes with {@link #loops(int)}. */
    public static Class<? extends SocketChannel> channelType() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The server socket channel class that goes with {@link #loops(int)}. */
    public static Class<? extends ServerChannel> serverChannelType() {
        return Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The TLS provider of {@link #clientTls()}. */
    public static SslProvider tlsProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /**
     * The client's TLS: TLS 1.3 and 1.2, trusting any certificate (the servers under test have self-signed ones, and
     * a load generator does not check them).
     */
    public static SslContext clientTls() {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(tlsProvider())
                    .protocols(ServerTls.PROTOCOLS)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the client's TLS context", e);
        }
    }

    /** One line saying what this process runs on, for the results. */
    public static String describe() {
        return (Epoll.isAvailable() ? "epoll" : "nio") + ", client TLS " + tlsProvider()
                + (OpenSsl.isAvailable() ? " (" + OpenSsl.versionString() + ")" : "");
    }

    /** Shuts event loops down and waits for it. */
    public static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
