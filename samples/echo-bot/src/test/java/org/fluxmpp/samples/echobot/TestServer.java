package org.fluxmpp.samples.echobot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import reactor.core.publisher.Mono;

/**
 * A real Fluxmpp server on loopback with a generated certificate and a file-backed account store; it can be
 * stopped and started again on the same port, as a restarted server would be.
 */
final class TestServer implements AutoCloseable {

    static final String DOMAIN = "localhost";
    static final ServerTls TLS = ServerTls.selfSigned(DOMAIN);

    private final FileCredentialStore store;
    private AtomicBoolean stopping = new AtomicBoolean();
    private BoundXmppServer server;

    private TestServer(FileCredentialStore store, int port) {
        this.store = store;
        this.server = bind(port);
    }

    static TestServer start() {
        try {
            Path dir = Files.createTempDirectory("fluxmpp-echo-bot-test");
            return new TestServer(FileCredentialStore.open(dir.resolve("accounts.txt")), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BoundXmppServer bind(int port) {
        AtomicBoolean stopped = new AtomicBoolean();
        stopping = stopped;
        // A stopping server never answers a login: see restart().
        CredentialStore credentials = account -> stopped.get() ? Mono.never() : store.find(account);
        return XmppServer.create()
                .domain(DOMAIN)
                .host("127.0.0.1")
                .port(port)
                .secure(TLS)
                .authentication(sasl -> sasl.credentials(credentials))
                .router(XmppRouter.create().domain(DOMAIN).accounts(store::exists))
                .bindNow();
    }

    TestServer account(String localpart, String password) {
        store.put(BareJid.of(localpart, DOMAIN), Credentials.fromPassword(password));
        return this;
    }

    int port() {
        return server.port();
    }

    /**
     * Stops (every stream ends with system-shutdown) and listens again on the same port. The old server still
     * accepts connections while its streams end, and one that logs in then is bound on a server that is going away
     * and outlives it; so logins to a stopping server hang instead, and a client gives up on them after its
     * connect timeout and tries again.
     */
    void restart() {
        int port = server.port();
        stopping.set(true);
        server.disposeNow(Duration.ofSeconds(10));
        server = bind(port);
    }

    /** Logs a Smack client in over STARTTLS, trusting exactly this server's certificate. */
    XMPPTCPConnection smack(String user, String password, String resource) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(DOMAIN)
                .setHost("127.0.0.1")
                .setPort(port())
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(trustManager())
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .setSendPresence(false)
                .build());
        c.connect().login();
        return c;
    }

    static X509TrustManager trustManager() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("fluxmpp", TLS.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
