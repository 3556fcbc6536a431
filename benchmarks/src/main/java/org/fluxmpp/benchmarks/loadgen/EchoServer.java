package org.fluxmpp.benchmarks.loadgen;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.codec.StreamEvent;
import org.fluxmpp.codec.StreamHeader;
import org.fluxmpp.codec.XmppStreamDecoder;
import org.fluxmpp.codec.XmppStreamEncoder;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * The smallest XMPP server the load generator can log in to, for measuring the load generator's own ceiling: it
 * offers STARTTLS, then PLAIN (accepting any password), binds the requested resource, and relays each
 * {@code <message/>} to the session bound to its {@code to} full JID, unchanged. No checks, no routing rules, no
 * stamping: whatever it costs, a real server costs more, so the load generator's figures against it bound what the
 * load generator can measure.
 */
public final class EchoServer implements AutoCloseable {

    private static final XmppStreamEncoder ENCODER = new XmppStreamEncoder();
    private static final String NS = C2sLoginClient.CLIENT_NS;

    private final Channel listener;
    private final Map<String, Channel> sessions = new ConcurrentHashMap<>();
    private final SslContext tls;
    private final String domain;

    private EchoServer(EventLoopGroup loops, String domain) throws InterruptedException {
        this.domain = domain;
        this.tls = ServerTls.selfSigned(domain).sslContext();
        this.listener = new ServerBootstrap().group(loops).channel(Transport.serverChannelType())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Session());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Starts a relay for {@code domain} on a free port of 127.0.0.1, on these event loops. */
    public static EchoServer start(EventLoopGroup loops, String domain) throws InterruptedException {
        return new EchoServer(loops, domain);
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening (sessions end with their clients). */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    private enum Stage { TLS, SASL, BIND, BOUND }

    /** One client stream. */
    private final class Session extends ChannelInboundHandlerAdapter {
        private final XmppStreamDecoder decoder = new XmppStreamDecoder(DecoderLimits.defaults());
        private Stage stage = Stage.TLS;
        private @Nullable String jid;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            try {
                decoder.decode(buf, e -> onEvent(ctx, e));
            } catch (RuntimeException e) {
                ctx.close();
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (jid != null) {
                sessions.remove(jid, ctx.channel());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void onEvent(ChannelHandlerContext ctx, StreamEvent event) {
            if (event instanceof StreamEvent.Open) {
                ctx.write(ENCODER.encodeOpen(StreamHeader.of(NS, domain, null, UUID.randomUUID().toString(),
                        StreamHeader.VERSION, null), ctx.alloc()));
                XmlElement.Builder features = XmlElement.builder(C2sLoginClient.STREAM_NS, "features");
                switch (stage) {
                    case TLS -> features.child(XmlElement.builder(C2sLoginClient.TLS_NS, "starttls")
                            .child(XmlElement.empty(C2sLoginClient.TLS_NS, "required")).build());
                    case SASL -> features.child(XmlElement.builder(C2sLoginClient.SASL_NS, "mechanisms")
                            .child(XmlElement.builder(C2sLoginClient.SASL_NS, "mechanism").text("PLAIN").build())
                            .build());
                    default -> features.child(XmlElement.empty(C2sLoginClient.BIND_NS, "bind"));
                }
                send(ctx, features.build());
            } else if (event instanceof StreamEvent.Close) {
                ctx.writeAndFlush(ENCODER.encodeClose(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
            } else if (event instanceof StreamEvent.Element el) {
                onElement(ctx, el.element());
            }
        }

        private void onElement(ChannelHandlerContext ctx, XmlElement e) {
            if (stage == Stage.BOUND && e.is(NS, "message")) {
                Channel to = sessions.get(String.valueOf(e.attribute("to")));
                if (to != null) {
                    to.writeAndFlush(ENCODER.encode(e, NS, to.alloc()), to.voidPromise());
                }
            } else if (stage == Stage.TLS && e.is(C2sLoginClient.TLS_NS, "starttls")) {
                // The handler lets its first write (<proceed/>) through in clear, then protects the rest.
                ctx.pipeline().addFirst("tls", new SslHandler(tls.newEngine(ctx.alloc()), true));
                decoder.reset();
                stage = Stage.SASL;
                send(ctx, XmlElement.empty(C2sLoginClient.TLS_NS, "proceed"));
            } else if (stage == Stage.SASL && e.is(C2sLoginClient.SASL_NS, "auth")) {
                decoder.reset();
                stage = Stage.BIND;
                send(ctx, XmlElement.empty(C2sLoginClient.SASL_NS, "success"));
            } else if (stage == Stage.BIND && e.is(NS, "iq")) {
                XmlElement bind = e.child(C2sLoginClient.BIND_NS, "bind");
                XmlElement resource = bind == null ? null : bind.child(C2sLoginClient.BIND_NS, "resource");
                jid = "user@" + domain + "/" + (resource == null ? UUID.randomUUID() : resource.text().strip());
                sessions.put(jid, ctx.channel());
                stage = Stage.BOUND;
                send(ctx, XmlElement.builder(NS, "iq").attribute("type", "result").attribute("id", e.attribute("id"))
                        .child(XmlElement.builder(C2sLoginClient.BIND_NS, "bind")
                                .child(XmlElement.builder(C2sLoginClient.BIND_NS, "jid").text(jid).build()).build())
                        .build());
            } else {
                ctx.close();
            }
        }

        private void send(ChannelHandlerContext ctx, XmlElement e) {
            ctx.writeAndFlush(ENCODER.encode(e, NS, ctx.alloc()));
        }
    }
}
