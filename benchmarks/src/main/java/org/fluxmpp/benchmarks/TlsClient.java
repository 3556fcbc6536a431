package org.fluxmpp.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The baseline client: TCP connect and a TLS handshake (Netty {@link SslHandler}, client mode, the same context as
 * {@code C2sLoginClient}'s), then either close, or send {@value #ECHO_BYTES} bytes to the echo server, read them
 * back and stay connected, idle, with the same pipeline as an idle {@code C2sLoginClient} connection
 * ({@code SslHandler}, {@link C2sBench.Sink}). The echo makes both directions carry application data, as an XMPP
 * session's do (the JDK's ciphers set up their AES key schedules on first use).
 */
final class TlsClient {

    /** The bytes sent and echoed before a connection goes idle: {@value}. */
    static final int ECHO_BYTES = 64;

    private final Bootstrap bootstrap;
    private final SslContext tls;

    TlsClient(EventLoopGroup loops, SslContext tls) {
        this.bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
        this.tls = tls;
    }

    /** Connects, completes the handshake, closes (TLS close_notify, then TCP); completes once closed. */
    CompletableFuture<Channel> handshakeAndClose(InetSocketAddress server) {
        return connect(server, false);
    }

    /**
     * Connects, completes the handshake and one echo round trip; completes with the connection, which stays open and
     * idle.
     */
    CompletableFuture<Channel> handshakeAndStay(InetSocketAddress server) {
        return connect(server, true);
    }

    private CompletableFuture<Channel> connect(InetSocketAddress server, boolean stay) {
        CompletableFuture<Channel> done = new CompletableFuture<>();
        bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                SslHandler ssl = new SslHandler(tls.newEngine(ch.alloc()));
                ch.pipeline().addLast("tls", ssl).addLast("sink", stay ? new AwaitEcho(done)
                        : C2sBench.Sink.INSTANCE);
                ssl.handshakeFuture().addListener(f -> {
                    if (!f.isSuccess()) {
                        done.completeExceptionally(f.cause());
                        ch.close();
                    } else if (stay) {
                        ch.writeAndFlush(ch.alloc().buffer(ECHO_BYTES).writeZero(ECHO_BYTES));
                    } else {
                        ch.close().addListener((ChannelFutureListener) c -> done.complete(ch));
                    }
                });
            }
        }).connect(server).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    /** Reads the echo, then leaves the pipeline to the shared sink and completes. */
    private static final class AwaitEcho extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Channel> done;
        private int received;

        AwaitEcho(CompletableFuture<Channel> done) {
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                received += b.readableBytes();
            }
            ReferenceCountUtil.release(msg);
            if (received >= ECHO_BYTES) {
                ctx.pipeline().replace(this, "sink", C2sBench.Sink.INSTANCE);
                done.complete(ctx.channel());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new java.io.IOException("closed before the echo"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
