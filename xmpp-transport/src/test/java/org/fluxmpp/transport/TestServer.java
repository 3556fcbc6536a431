package org.fluxmpp.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.testing.TrustedTls;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;

/**
 * A real Fluxmpp server on a free loopback port with a generated certificate and a file-backed account store, for
 * end-to-end tests.
 */
final class TestServer implements AutoCloseable {

    static final String DOMAIN = "localhost";
    private static final ServerTls TLS = ServerTls.selfSigned(DOMAIN);

    final FileCredentialStore store;
    final BoundXmppServer server;

    private TestServer(FileCredentialStore store, BoundXmppServer server) {
        this.store = store;
        this.server = server;
    }

    static TestServer start() {
        return start(s -> s);
    }

    static TestServer start(UnaryOperator<XmppServer> customize) {
        try {
            Path dir = Files.createTempDirectory("fluxmpp-test");
            FileCredentialStore store = FileCredentialStore.open(dir.resolve("accounts.txt"));
            XmppServer config = XmppServer.create()
                    .domain(DOMAIN)
                    .host("127.0.0.1")
                    .port(0)
                    .secure(TLS)
                    .negotiationTimeout(Duration.ofSeconds(20))
                    .authentication(sasl -> sasl.credentials(store))
                    .router(XmppRouter.create().domain(DOMAIN).accounts(store::exists));
            return new TestServer(store, customize.apply(config).bindNow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    TestServer account(String localpart, String password) {
        store.put(BareJid.of(localpart, DOMAIN), Credentials.fromPassword(password));
        return this;
    }

    /** The server's TLS setup (a self-signed certificate for {@value #DOMAIN}). */
    static ServerTls tls() {
        return TLS;
    }

    int port() {
        return server.port();
    }

    /** Trusts exactly the server's certificate, as a client configured for a private deployment would. */
    static X509TrustManager trustManager() {
        return TrustedTls.trusting(TLS.certificate());
    }

    /** The server certificate as PEM, for clients that read a CA file. */
    static String certificatePem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(TLS.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext sslContext() {
        return TrustedTls.sslContext(trustManager());
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
