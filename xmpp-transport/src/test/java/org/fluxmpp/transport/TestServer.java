package org.fluxmpp.transport;

import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.fluxmpp.testing.TestXmppServer;
import org.fluxmpp.transport.sasl.FileCredentialStore;

/**
 * The transport tests' handle on a {@link TestXmppServer} (the shared fixture): its store and bound server as fields,
 * as these tests have always read them.
 */
final class TestServer implements AutoCloseable {

    static final String DOMAIN = TestXmppServer.DOMAIN;

    final FileCredentialStore store;
    final BoundXmppServer server;
    private final TestXmppServer fixture;

    private TestServer(TestXmppServer fixture) {
        this.fixture = fixture;
        this.store = fixture.store();
        this.server = fixture.server();
    }

    static TestServer start() {
        return start(s -> s);
    }

    static TestServer start(UnaryOperator<XmppServer> customize) {
        return new TestServer(TestXmppServer.start(customize));
    }

    TestServer account(String localpart, String password) {
        fixture.account(localpart, password);
        return this;
    }

    /** The server's TLS setup (a self-signed certificate for {@value #DOMAIN}). */
    static ServerTls tls() {
        return TestXmppServer.tls();
    }

    int port() {
        return server.port();
    }

    /** Trusts exactly the server's certificate, as a client configured for a private deployment would. */
    static X509TrustManager trustManager() {
        return TestXmppServer.trustManager();
    }

    /** The server certificate as PEM, for clients that read a CA file. */
    static String certificatePem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(tls().certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext sslContext() {
        return TestXmppServer.sslContext();
    }

    @Override
    public void close() {
        fixture.close();
    }
}
