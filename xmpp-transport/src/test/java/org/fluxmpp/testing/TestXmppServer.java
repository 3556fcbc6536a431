package org.fluxmpp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import reactor.core.publisher.Mono;

/**
 * A real Fluxmpp server for end-to-end tests: loopback, a free port, a generated certificate for {@value #DOMAIN},
 * a file-backed account store, TLS required. It can be stopped and started again on the same port, as a restarted
 * server would be. Shared by the modules' tests through xmpp-transport's test-jar (the caller's module brings
 * {@code xmpp-router}, and Smack for {@link #smack}).
 *
 * <pre>{@code
 * try (TestXmppServer server = TestXmppServer.start().account("alice", "wonderland")) {
 *     XmppClient.create().jid("alice@localhost").password("wonderland").host("127.0.0.1").port(server.port())
 *         .secure(tls -> tls.trustManager(TestXmppServer.trustManager()))...
 * }
 * }</pre>
 */
public final class TestXmppServer implements AutoCloseable {

    /** The one domain served: {@value}. */
    public static final String DOMAIN = "localhost";
    private static final ServerTls TLS = ServerTls.selfSigned(DOMAIN);

    private final FileCredentialStore store;
    private final UnaryOperator<XmppServer> customize;
    private AtomicBoolean stopping = new AtomicBoolean();
    private BoundXmppServer server;

    private TestXmppServer(FileCredentialStore store, UnaryOperator<XmppServer> customize) {
        this.store = store;
        this.customize = customize;
        this.server = bind(0);
    }

    /** A server with the defaults above. */
    public static TestXmppServer start() {
        return start(s -> s);
    }

    /** A server with the defaults above, then {@code customize} applied (ports, limits, meters ...). */
    public static TestXmppServer start(UnaryOperator<XmppServer> customize) {
        try {
            return new TestXmppServer(FileCredentialStore.open(
                    Files.createTempDirectory("fluxmpp-test").resolve("accounts.txt")), customize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BoundXmppServer bind(int port) {
        AtomicBoolean stopped = new AtomicBoolean();
        stopping = stopped;
        // A stopping server never answers a login: see restart(). Removals still reach the server (deluser).
        CredentialStore credentials = new CredentialStore() {
            @Override
            public Mono<Credentials> find(BareJid account) {
                return stopped.get() ? Mono.never() : store.find(account);
            }

            @Override
            public reactor.core.publisher.Flux<BareJid> removals() {
                return store.removals();
            }
        };
        XmppServer config = XmppServer.create()
                .domain(DOMAIN)
                .host("127.0.0.1")
                .port(port)
                .secure(TLS)
                .negotiationTimeout(Duration.ofSeconds(20))
                .authentication(sasl -> sasl.credentials(credentials))
                .router(XmppRouter.create().domain(DOMAIN).accounts(store::exists));
        return customize.apply(config).bindNow();
    }

    /** Adds (or replaces) the account {@code localpart@localhost}. */
    public TestXmppServer account(String localpart, String password) {
        store.put(BareJid.of(localpart, DOMAIN), Credentials.fromPassword(password));
        return this;
    }

    /** The account store. */
    public FileCredentialStore store() {
        return store;
    }

    /** The listening server (a new one after {@link #restart()}). */
    public BoundXmppServer server() {
        return server;
    }

    /** The STARTTLS port. */
    public int port() {
        return server.port();
    }

    /**
     * Stops (every stream ends with system-shutdown) and listens again on the same port. The old server still
     * accepts connections while its streams end, and one that logs in then is bound on a server that is going away
     * and outlives it; so logins to a stopping server hang instead, and a client gives up on them after its connect
     * timeout and tries again.
     */
    public void restart() {
        int port = server.port();
        stopping.set(true);
        server.disposeNow(Duration.ofSeconds(10));
        server = bind(port);
    }

    /** Logs a Smack client in over STARTTLS with SCRAM-SHA-1, trusting exactly this server's certificate. */
    public XMPPTCPConnection smack(String user, String password, String resource) throws Exception {
        return SmackLogin.tcp(port(), trustManager(), user, password, resource);
    }

    /** The server's TLS setup: a self-signed certificate for {@value #DOMAIN}. */
    public static ServerTls tls() {
        return TLS;
    }

    /** Trusts exactly the server's certificate, as a client configured for a private deployment would. */
    public static X509TrustManager trustManager() {
        return TrustedTls.trusting(TLS.certificate());
    }

    /** A JDK TLS context that trusts exactly the server's certificate. */
    public static SSLContext sslContext() {
        return TrustedTls.sslContext(trustManager());
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
