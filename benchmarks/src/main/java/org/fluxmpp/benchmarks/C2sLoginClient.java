package org.fluxmpp.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.codec.StreamEvent;
import org.fluxmpp.codec.StreamHeader;
import org.fluxmpp.codec.XmppStreamDecoder;
import org.fluxmpp.codec.XmppStreamEncoder;
import org.fluxmpp.transport.sasl.ScramHash;
import org.fluxmpp.transport.sasl.ScramKeys;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * A non-blocking XMPP client that does one full c2s login per connection and nothing else, for measuring: TCP
 * connect, stream header, {@code <starttls/>}, TLS handshake (Netty {@link SslHandler}, client mode), stream
 * restart, SCRAM-SHA-256 (RFC 5802/7677, no channel binding), restart, resource binding (RFC 6120 section 7); then
 * either {@code </stream:stream>} and wait for the server to close ({@link #login login}) or stay connected, idle
 * ({@link #loginAndStay loginAndStay}).
 *
 * <p>It speaks with Fluxmpp's own codec ({@link XmppStreamDecoder}, {@link XmppStreamEncoder}, {@link StreamHeader})
 * and needs no thread per connection: every step runs on the channel's event loop.
 *
 * <p>SCRAM: the client caches {@code ClientKey} and {@code ServerKey} per account, salt and iteration count (RFC
 * 5802 section 5.1 allows it), so it pays PBKDF2 once per account, not once per login; the server never pays it (it
 * stores the keys). The proof and the server's signature are computed and checked on every login.
 *
 * <p>Once bound and staying, the client's pipeline is only its {@link SslHandler} and the shared
 * {@link C2sBench.Sink}: the same as {@link TlsClient}'s idle connections, so that a memory comparison of the two
 * differs by the server's side only.
 */
final class C2sLoginClient {

    static final String CLIENT_NS = StreamHeader.CLIENT_NAMESPACE;
    static final String STREAM_NS = "http://etherx.jabber.org/streams";
    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";

    private static final ScramHash HASH = ScramHash.SHA_256;
    private static final XmppStreamEncoder ENCODER = new XmppStreamEncoder();
    private static final XmlElement STARTTLS = XmlElement.empty(TLS_NS, "starttls");
    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);
    private static final String GS2 = "n,,";

    /** ClientKey, StoredKey and ServerKey of one account with one salt and iteration count. */
    private record Keys(byte[] clientKey, byte[] storedKey, byte[] serverKey) {
    }

    private final Bootstrap bootstrap;
    private final SslContext tls;
    private final String domain;
    private final Map<String, Keys> keys = new ConcurrentHashMap<>();

    /**
     * A client on these event loops.
     *
     * @param tls the client's TLS context (see {@link C2sBench#clientTls()})
     */
    C2sLoginClient(EventLoopGroup loops, SslContext tls, String domain) {
        this.bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
        this.tls = tls;
        this.domain = domain;
    }

    /**
     * Logs in, binds {@code resource}, closes the stream and completes when the server has closed the connection.
     */
    CompletableFuture<Channel> login(InetSocketAddress server, String user, String password, String resource) {
        return connect(server, user, password, resource, false);
    }

    /** Logs in and binds {@code resource}; completes with the connection, which stays open and idle. */
    CompletableFuture<Channel> loginAndStay(InetSocketAddress server, String user, String password, String resource) {
        return connect(server, user, password, resource, true);
    }

    private CompletableFuture<Channel> connect(InetSocketAddress server, String user, String password,
                                               String resource, boolean stay) {
        CompletableFuture<Channel> done = new CompletableFuture<>();
        Login handler = new Login(user, password, resource, stay, done);
        bootstrap.clone().handler(handler).connect(server).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    private Keys keys(String user, String password, String salt, int iterations) {
        return keys.computeIfAbsent(user + '\n' + salt + '\n' + iterations, k -> {
            byte[] salted = ScramKeys.saltedPassword(HASH, ScramKeys.preparePassword(password),
                    Base64.getDecoder().decode(salt), iterations);
            byte[] clientKey = HASH.hmac(salted, CLIENT_KEY);
            return new Keys(clientKey, HASH.hash(clientKey), HASH.hmac(salted, SERVER_KEY));
        });
    }

    private enum Step { FEATURES, PROCEED, HANDSHAKE, TLS_FEATURES, CHALLENGE, SUCCESS, AUTH_FEATURES, BOUND_IQ,
        CLOSING, DONE }

    /** One login's state machine; it leaves the pipeline once the resource is bound. */
    private final class Login extends ChannelInboundHandlerAdapter {
        private final String user;
        private final String password;
        private final String resource;
        private final boolean stay;
        private final CompletableFuture<Channel> done;
        private final XmppStreamDecoder decoder = new XmppStreamDecoder(DecoderLimits.defaults());
        private Step step = Step.FEATURES;
        private @Nullable String clientFirstBare;
        private @Nullable String authMessage;
        private @Nullable Keys accountKeys;

        Login(String user, String password, String resource, boolean stay, CompletableFuture<Channel> done) {
            this.user = user;
            this.password = password;
            this.resource = resource;
            this.stay = stay;
            this.done = done;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sendHeader(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            try {
                if (step != Step.DONE) {
                    decoder.decode(buf, event -> onEvent(ctx, event));
                }
            } catch (RuntimeException e) {
                fail(ctx, e);
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (step == Step.CLOSING) {
                step = Step.DONE;
                done.complete(ctx.channel());
            } else if (!done.isDone()) {
                done.completeExceptionally(new IOException("the server closed the connection at step " + step));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause);
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            step = Step.DONE;
            done.completeExceptionally(cause);
            ctx.close();
        }

        private void onEvent(ChannelHandlerContext ctx, StreamEvent event) {
            if (event instanceof StreamEvent.Element e) {
                onElement(ctx, e.element());
            } else if (event instanceof StreamEvent.Close && step != Step.CLOSING) {
                fail(ctx, new IOException("the server closed the stream at step " + step));
            }
        }

        private void onElement(ChannelHandlerContext ctx, XmlElement e) {
            if (e.is(STREAM_NS, "error") || e.is(SASL_NS, "failure") || e.is(TLS_NS, "failure")) {
                fail(ctx, new IOException("at step " + step + " the server answered " + e));
                return;
            }
            switch (step) {
                case FEATURES -> {
                    expect(e, STREAM_NS, "features");
                    step = Step.PROCEED;
                    send(ctx, STARTTLS);
                }
                case PROCEED -> {
                    expect(e, TLS_NS, "proceed");
                    step = Step.HANDSHAKE;
                    decoder.reset();
                    SslHandler ssl = new SslHandler(tls.newEngine(ctx.alloc()));
                    ctx.pipeline().addFirst("tls", ssl);
                    ssl.handshakeFuture().addListener(f -> {
                        if (f.isSuccess()) {
                            step = Step.TLS_FEATURES;
                            sendHeader(ctx);
                        } else {
                            fail(ctx, f.cause());
                        }
                    });
                }
                case TLS_FEATURES -> {
                    expect(e, STREAM_NS, "features");
                    step = Step.CHALLENGE;
                    String nonce = nonce();
                    clientFirstBare = "n=" + user + ",r=" + nonce;
                    send(ctx, XmlElement.builder(SASL_NS, "auth").attribute("mechanism", HASH.mechanismName())
                            .text(b64(GS2 + clientFirstBare)).build());
                }
                case CHALLENGE -> {
                    expect(e, SASL_NS, "challenge");
                    step = Step.SUCCESS;
                    String serverFirst = new String(Base64.getDecoder().decode(e.text().strip()),
                            StandardCharsets.UTF_8);
                    Map<String, String> attrs = attributes(serverFirst);
                    String nonce = attrs.get("r");
                    if (nonce == null || !nonce.startsWith(clientFirstBare.substring(clientFirstBare.indexOf(",r=")
                            + 3))) {
                        throw new IllegalStateException("the server's nonce does not extend ours: " + serverFirst);
                    }
                    Keys k = keys(user, password, attrs.get("s"), Integer.parseInt(attrs.get("i")));
                    accountKeys = k;
                    String withoutProof = "c=" + b64(GS2) + ",r=" + nonce;
                    authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
                    byte[] signature = HASH.hmac(k.storedKey(), authMessage.getBytes(StandardCharsets.UTF_8));
                    byte[] proof = k.clientKey().clone();
                    for (int i = 0; i < proof.length; i++) {
                        proof[i] ^= signature[i];
                    }
                    send(ctx, XmlElement.builder(SASL_NS, "response")
                            .text(b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))).build());
                }
                case SUCCESS -> {
                    expect(e, SASL_NS, "success");
                    String serverFinal = new String(Base64.getDecoder().decode(e.text().strip()),
                            StandardCharsets.UTF_8);
                    byte[] expected = HASH.hmac(accountKeys.serverKey(), authMessage.getBytes(StandardCharsets.UTF_8));
                    if (!serverFinal.startsWith("v=") || !MessageDigest.isEqual(expected,
                            Base64.getDecoder().decode(serverFinal.substring(2)))) {
                        throw new IllegalStateException("the server's signature is wrong: " + serverFinal);
                    }
                    step = Step.AUTH_FEATURES;
                    decoder.reset();
                    sendHeader(ctx);
                }
                case AUTH_FEATURES -> {
                    expect(e, STREAM_NS, "features");
                    step = Step.BOUND_IQ;
                    send(ctx, XmlElement.builder(CLIENT_NS, "iq").attribute("type", "set").attribute("id", "bind")
                            .child(XmlElement.builder(BIND_NS, "bind")
                                    .child(XmlElement.builder(BIND_NS, "resource").text(resource).build())
                                    .build())
                            .build());
                }
                case BOUND_IQ -> {
                    expect(e, CLIENT_NS, "iq");
                    if (!"result".equals(e.attribute("type")) || e.child(BIND_NS, "bind") == null) {
                        throw new IllegalStateException("bind failed: " + e);
                    }
                    if (stay) {
                        // Idle from now on: no parser, no state; the same pipeline as an idle TlsClient connection.
                        step = Step.DONE;
                        ctx.pipeline().replace(this, "sink", C2sBench.Sink.INSTANCE);
                        done.complete(ctx.channel());
                    } else {
                        step = Step.CLOSING;
                        ctx.writeAndFlush(ENCODER.encodeClose(ctx.alloc()));
                    }
                }
                default -> {
                    // CLOSING: the server's last words before it closes; nothing to do.
                }
            }
        }

        private void sendHeader(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ENCODER.encodeOpen(StreamHeader.of(CLIENT_NS, null, domain, null, StreamHeader.VERSION,
                    null), ctx.alloc()));
        }

        private void send(ChannelHandlerContext ctx, XmlElement e) {
            ctx.writeAndFlush(ENCODER.encode(e, CLIENT_NS, ctx.alloc()));
        }

        private void expect(XmlElement e, String namespace, String localName) {
            if (!e.is(namespace, localName)) {
                throw new IllegalStateException("at step " + step + " expected <" + localName + "/>, got " + e);
            }
        }
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> attrs = new HashMap<>();
        for (String a : message.split(",")) {
            if (a.length() > 2 && a.charAt(1) == '=') {
                attrs.put(a.substring(0, 1), a.substring(2));
            }
        }
        return attrs;
    }

    private static String nonce() {
        byte[] b = new byte[18];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
