package org.fluxmpp.benchmarks;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;

/**
 * What the c2s benchmarks share: the client's TLS context, its event loops, the accounts, and a Fluxmpp server set
 * up as a user would (STARTTLS required, SCRAM-SHA-256, the router), listening on a free port of 127.0.0.1.
 */
final class C2sBench {

    /** The served domain. */
    static final String DOMAIN = "localhost";
    /** Every benchmark account's password. */
    static final String PASSWORD = "bench-password";

    private C2sBench() {
    }

    /**
     * The client's TLS: the JDK provider (what the server uses), TLS 1.3 and 1.2 only, trusting any certificate (the
     * server's is self-signed; a benchmark does not check it).
     */
    static SslContext clientTls() {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(ServerTls.PROTOCOLS)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the client's TLS context", e);
        }
    }

    /** The client's event loops (NIO): a few threads carry thousands of connections. */
    static EventLoopGroup clientLoops(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    /** Shuts event loops down and waits for it. */
    static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The local part of benchmark account {@code i}. */
    static String user(int i) {
        return "bench" + i;
    }

    /**
     * A credential store in a new temporary directory with {@code count} accounts {@code bench0..}, all with
     * {@link #PASSWORD}. Each account costs three PBKDF2 derivations, so keep the count small and log in several
     * resources per account.
     */
    static FileCredentialStore accounts(Path dir, int count) {
        FileCredentialStore store = FileCredentialStore.open(dir.resolve("accounts.txt"));
        for (int i = 0; i < count; i++) {
            store.put(BareJid.of(user(i), DOMAIN), Credentials.fromPassword(PASSWORD));
        }
        return store;
    }

    /**
     * A Fluxmpp server on a free port of 127.0.0.1: STARTTLS (required) with this certificate, SCRAM-SHA-256 against
     * {@code store}, and an {@link XmppRouter} allowing {@code maxResources} resources per account.
     */
    static BoundXmppServer startServer(ServerTls tls, FileCredentialStore store, int maxResources) {
        return XmppServer.create()
                .domain(DOMAIN)
                .host("127.0.0.1")
                .port(0)
                .secure(tls)
                .authentication(sasl -> sasl.scramSha256().credentials(store))
                .router(XmppRouter.create().domain(DOMAIN).accounts(store::exists)
                        .maxResourcesPerAccount(maxResources))
                .bindNow();
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("fluxmpp-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /**
     * The last handler of an idle connection (client side once logged in or handshaken, and the bare TLS server):
     * it keeps nothing per connection and releases whatever arrives.
     */
    @ChannelHandler.Sharable
    static final class Sink extends ChannelInboundHandlerAdapter {
        static final Sink INSTANCE = new Sink();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

}
