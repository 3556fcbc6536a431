package org.fluxmpp.benchmarks.loadgen;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.xml.namespace.QName;
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
 * A non-blocking XMPP client that does one full c2s login per connection, for measuring any server: TCP connect,
 * stream header, {@code <starttls/>}, TLS handshake (Netty {@link SslHandler}, client mode), stream restart, SASL
 * ({@link SaslMechanism}: SCRAM-SHA-1 or SCRAM-SHA-256 without channel binding, or PLAIN), restart, resource binding
 * (RFC 6120 section 7); then one of three:
 * <ul>
 *   <li>{@link #login login}: {@code </stream:stream>}, and done when the server has answered it or closed;</li>
 *   <li>{@link #loginAndStay loginAndStay}: stay connected and idle, with only the TLS handler and the given sink
 *       left in the pipeline (no parser);</li>
 *   <li>{@link #loginAndListen loginAndListen}: stay connected and hand every top-level element the server sends to
 *       a {@link BoundListener}.</li>
 * </ul>
 *
 * <p>It speaks with Fluxmpp's own codec ({@link XmppStreamDecoder}, {@link XmppStreamEncoder}, {@link StreamHeader})
 * and needs no thread per connection: every step runs on the channel's event loop. A login that is not bound within
 * {@value #LOGIN_TIMEOUT_SECONDS} s fails.
 *
 * <p>SCRAM: the client caches {@code ClientKey} and {@code ServerKey} per account, salt and iteration count (RFC
 * 5802 section 5.1 allows it), so it pays PBKDF2 once per account, not once per login. The proof and the server's
 * signature are computed and checked on every login.
 */
public final class C2sLoginClient {

    /** On a bound connection: {@link System#nanoTime()} when the bind result arrived. */
    public static final AttributeKey<Long> BOUND_AT = AttributeKey.valueOf("fluxmpp.loadgen.boundAt");
    /** On a bound connection: the full JID the server bound. */
    public static final AttributeKey<String> BOUND_JID = AttributeKey.valueOf("fluxmpp.loadgen.boundJid");

    static final int LOGIN_TIMEOUT_SECONDS = 30;
    static final String CLIENT_NS = StreamHeader.CLIENT_NAMESPACE;
    static final String STREAM_NS = "http://etherx.jabber.org/streams";
    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";

    private static final XmppStreamEncoder ENCODER = new XmppStreamEncoder();
    private static final XmlElement STARTTLS = XmlElement.empty(TLS_NS, "starttls");
    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);
    private static final String GS2 = "n,,";

    /**
     * Where one connection goes: the server, the local address to connect from ({@code null}: any), and the event
     * loop to run it on ({@code null}: the next of the client's loops).
     */
    public record Target(InetSocketAddress server, @Nullable InetSocketAddress source, @Nullable EventLoop loop) {
        /** The server, from any local address, on any loop. */
        public static Target of(InetSocketAddress server) {
            return new Target(server, null, null);
        }
    }

    /** Receives, on the connection's event loop, each top-level element the server sends on a bound stream. */
    @FunctionalInterface
    public interface BoundListener {
        /** One element (a stanza, or anything else at depth 1). */
        void onElement(Channel channel, XmlElement element);
    }

    /** ClientKey, StoredKey and ServerKey of one account with one salt and iteration count. */
    private record Keys(byte[] clientKey, byte[] storedKey, byte[] serverKey) {
    }

    private final Bootstrap bootstrap;
    private final SslContext tls;
    private final String domain;
    private final SaslMechanism mechanism;
    private final Map<String, Keys> keys = new ConcurrentHashMap<>();

    /**
     * A client on these event loops.
     *
     * @param channelType the socket channel class matching the loops' transport (NIO or epoll)
     * @param tls the client's TLS context
     * @param domain the server's domain, for the stream headers' {@code to}
     */
    public C2sLoginClient(EventLoopGroup loops, Class<? extends Channel> channelType, SslContext tls, String domain,
                          SaslMechanism mechanism) {
        this.bootstrap = new Bootstrap().group(loops).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, LOGIN_TIMEOUT_SECONDS * 1000);
        this.tls = tls;
        this.domain = domain;
        this.mechanism = mechanism;
    }

    /**
     * Logs in, binds {@code resource}, closes the stream and completes when the server has answered the close (or
     * closed the connection); the connection's {@link #BOUND_AT} says when it was bound.
     */
    public CompletableFuture<Channel> login(Target target, String user, String password, String resource) {
        return connect(target, user, password, resource, Mode.CLOSE, null, null);
    }

    /**
     * Logs in and binds {@code resource}; completes with the connection, which stays open and idle with {@code sink}
     * (a sharable handler that releases what it reads) in place of the client's parser.
     */
    public CompletableFuture<Channel> loginAndStay(Target target, String user, String password, String resource,
                                                   ChannelHandler sink) {
        return connect(target, user, password, resource, Mode.STAY, sink, null);
    }

    /**
     * Logs in and binds {@code resource}; completes with the connection, which stays open: every element the server
     * sends from then on goes to {@code listener}. A stream close from the server closes the connection.
     */
    public CompletableFuture<Channel> loginAndListen(Target target, String user, String password, String resource,
                                                     BoundListener listener) {
        return connect(target, user, password, resource, Mode.LISTEN, null, listener);
    }

    private CompletableFuture<Channel> connect(Target target, String user, String password, String resource,
                                               Mode mode, @Nullable ChannelHandler sink,
                                               @Nullable BoundListener listener) {
        CompletableFuture<Channel> done = new CompletableFuture<>();
        Login handler = new Login(user, password, resource, mode, sink, listener, done);
        Bootstrap b = (target.loop() == null ? bootstrap.clone() : bootstrap.clone(target.loop())).handler(handler);
        ChannelFuture connecting = target.source() == null ? b.connect(target.server())
                : b.connect(target.server(), target.source());
        connecting.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    private Keys keys(ScramHash hash, String user, String password, String salt, int iterations) {
        return keys.computeIfAbsent(hash + "\n" + user + '\n' + salt + '\n' + iterations, k -> {
            byte[] salted = ScramKeys.saltedPassword(hash, ScramKeys.preparePassword(password),
                    Base64.getDecoder().decode(salt), iterations);
            byte[] clientKey = hash.hmac(salted, CLIENT_KEY);
            return new Keys(clientKey, hash.hash(clientKey), hash.hmac(salted, SERVER_KEY));
        });
    }

    private enum Mode { CLOSE, STAY, LISTEN }

    private enum Step { FEATURES, PROCEED, HANDSHAKE, TLS_FEATURES, CHALLENGE, SUCCESS, AUTH_FEATURES, BOUND_IQ,
        BOUND, CLOSING, DONE }

    /** One login's state machine; in {@link Mode#STAY} it leaves the pipeline once the resource is bound. */
    private final class Login extends ChannelInboundHandlerAdapter {
        private final String user;
        private final String password;
        private final String resource;
        private final Mode mode;
        private final @Nullable ChannelHandler sink;
        private final @Nullable BoundListener listener;
        private final CompletableFuture<Channel> done;
        private final XmppStreamDecoder decoder = new XmppStreamDecoder(DecoderLimits.defaults());
        private Step step = Step.FEATURES;
        private @Nullable ScheduledFuture<?> timeout;
        private @Nullable String clientFirstBare;
        private @Nullable String authMessage;
        private @Nullable Keys accountKeys;

        Login(String user, String password, String resource, Mode mode, @Nullable ChannelHandler sink,
              @Nullable BoundListener listener, CompletableFuture<Channel> done) {
            this.user = user;
            this.password = password;
            this.resource = resource;
            this.mode = mode;
            this.sink = sink;
            this.listener = listener;
            this.done = done;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            timeout = ctx.executor().schedule(() -> fail(ctx, new TimeoutException("not bound within "
                    + LOGIN_TIMEOUT_SECONDS + " s, at step " + step)), LOGIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
            cancelTimeout();
            if (step == Step.CLOSING) {
                step = Step.DONE;
                done.complete(ctx.channel());
            } else if (!done.isDone()) {
                done.completeExceptionally(new IOException("the server closed the connection at step " + step));
            }
            step = Step.DONE;
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause);
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            cancelTimeout();
            step = Step.DONE;
            done.completeExceptionally(cause);
            ctx.close();
        }

        private void cancelTimeout() {
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
        }

        private void onEvent(ChannelHandlerContext ctx, StreamEvent event) {
            if (step == Step.DONE) {
                return;
            }
            if (event instanceof StreamEvent.Element e) {
                onElement(ctx, e.element());
            } else if (event instanceof StreamEvent.Close) {
                if (step == Step.CLOSING || step == Step.BOUND) {
                    // Our close answered (or the server ended a bound stream): nothing more will come.
                    ctx.close();
                } else {
                    fail(ctx, new IOException("the server closed the stream at step " + step));
                }
            }
        }

        private void onElement(ChannelHandlerContext ctx, XmlElement e) {
            if (step == Step.BOUND) {
                listener.onElement(ctx.channel(), e);
                return;
            }
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
                    SslHandler ssl = tls.newHandler(ctx.alloc());
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
                    List<String> offered = mechanisms(e);
                    if (!offered.contains(mechanism.mechanismName())) {
                        throw new IllegalStateException("the server does not offer " + mechanism.mechanismName()
                                + ", only " + offered);
                    }
                    if (mechanism.scramHash() == null) {
                        step = Step.SUCCESS;
                        send(ctx, XmlElement.builder(SASL_NS, "auth").attribute("mechanism", "PLAIN")
                                .text(b64("\0" + user + "\0" + password)).build());
                    } else {
                        step = Step.CHALLENGE;
                        clientFirstBare = "n=" + user + ",r=" + nonce();
                        send(ctx, XmlElement.builder(SASL_NS, "auth")
                                .attribute("mechanism", mechanism.mechanismName())
                                .text(b64(GS2 + clientFirstBare)).build());
                    }
                }
                case CHALLENGE -> {
                    expect(e, SASL_NS, "challenge");
                    step = Step.SUCCESS;
                    ScramHash hash = mechanism.scramHash();
                    String serverFirst = new String(Base64.getDecoder().decode(e.text().strip()),
                            StandardCharsets.UTF_8);
                    Map<String, String> attrs = attributes(serverFirst);
                    String nonce = attrs.get("r");
                    if (nonce == null || !nonce.startsWith(clientFirstBare.substring(clientFirstBare.indexOf(",r=")
                            + 3))) {
                        throw new IllegalStateException("the server's nonce does not extend ours: " + serverFirst);
                    }
                    Keys k = keys(hash, user, password, attrs.get("s"), Integer.parseInt(attrs.get("i")));
                    accountKeys = k;
                    String withoutProof = "c=" + b64(GS2) + ",r=" + nonce;
                    authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
                    byte[] signature = hash.hmac(k.storedKey(), authMessage.getBytes(StandardCharsets.UTF_8));
                    byte[] proof = k.clientKey().clone();
                    for (int i = 0; i < proof.length; i++) {
                        proof[i] ^= signature[i];
                    }
                    send(ctx, XmlElement.builder(SASL_NS, "response")
                            .text(b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))).build());
                }
                case SUCCESS -> {
                    expect(e, SASL_NS, "success");
                    if (accountKeys != null) {
                        checkServerSignature(e);
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
                    XmlElement bind = e.child(BIND_NS, "bind");
                    String jid = bind == null ? null : bind.childText(new QName(BIND_NS, "jid"));
                    if (!"result".equals(e.attribute("type")) || jid == null) {
                        throw new IllegalStateException("bind failed: " + e);
                    }
                    cancelTimeout();
                    ctx.channel().attr(BOUND_JID).set(jid.strip());
                    ctx.channel().attr(BOUND_AT).set(System.nanoTime());
                    switch (mode) {
                        case STAY -> {
                            // Idle from now on: no parser, no state.
                            step = Step.DONE;
                            ctx.pipeline().replace(this, "sink", sink);
                            done.complete(ctx.channel());
                        }
                        case LISTEN -> {
                            step = Step.BOUND;
                            done.complete(ctx.channel());
                        }
                        case CLOSE -> {
                            step = Step.CLOSING;
                            ctx.writeAndFlush(ENCODER.encodeClose(ctx.alloc()));
                        }
                    }
                }
                default -> {
                    // CLOSING: the server's last words before its stream close; nothing to do.
                }
            }
        }

        private void checkServerSignature(XmlElement success) {
            ScramHash hash = mechanism.scramHash();
            String serverFinal = new String(Base64.getDecoder().decode(success.text().strip()),
                    StandardCharsets.UTF_8);
            byte[] expected = hash.hmac(accountKeys.serverKey(), authMessage.getBytes(StandardCharsets.UTF_8));
            if (!serverFinal.startsWith("v=") || !MessageDigest.isEqual(expected,
                    Base64.getDecoder().decode(serverFinal.substring(2)))) {
                throw new IllegalStateException("the server's signature is wrong: " + serverFinal);
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

    private static List<String> mechanisms(XmlElement features) {
        List<String> names = new ArrayList<>();
        XmlElement mechanisms = features.child(SASL_NS, "mechanisms");
        if (mechanisms != null) {
            for (XmlElement m : mechanisms.children()) {
                names.add(m.text().strip());
            }
        }
        return names;
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
