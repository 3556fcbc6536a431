package org.fluxmpp.samples.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** A real Fluxmpp server on loopback with a generated certificate and a file-backed account store. */
final class TestServer implements AutoCloseable {

    static final String DOMAIN = "localhost";
    static final ServerTls TLS = ServerTls.selfSigned(DOMAIN);

    private final FileCredentialStore store;
    private final BoundXmppServer server;

    private TestServer(FileCredentialStore store) {
        this.store = store;
        this.server = XmppServer.create()
                .domain(DOMAIN)
                .host("127.0.0.1")
                .port(0)
                .secure(TLS)
                .authentication(sasl -> sasl.credentials(store))
                .router(XmppRouter.create().domain(DOMAIN).accounts(store::exists))
                .bindNow();
    }

    static TestServer start() {
        try {
            Path dir = Files.createTempDirectory("fluxmpp-stanza-bridge-test");
            return new TestServer(FileCredentialStore.open(dir.resolve("accounts.txt")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestServer account(String localpart, String password) {
        store.put(BareJid.of(localpart, DOMAIN), Credentials.fromPassword(password));
        return this;
    }

    int port() {
        return server.port();
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
