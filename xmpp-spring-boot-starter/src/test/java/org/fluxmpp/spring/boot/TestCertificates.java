package org.fluxmpp.spring.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.testing.TrustedTls;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;

/**
 * A self-signed certificate for {@code localhost} in PEM files (for both WebFlux's HTTPS and the XMPP server), an
 * account file with the test accounts, and a trust manager for exactly that certificate.
 */
final class TestCertificates {

    static final Path DIR;
    static final Path CERTIFICATE;
    static final Path KEY;
    static final Path ACCOUNTS;

    static {
        try {
            DIR = Files.createTempDirectory("fluxmpp-starter");
            CERTIFICATE = DIR.resolve("cert.pem");
            KEY = DIR.resolve("key.pem");
            ACCOUNTS = DIR.resolve("accounts.txt");
            ServerTls.writeSelfSigned("localhost", CERTIFICATE, KEY);
            FileCredentialStore store = FileCredentialStore.open(ACCOUNTS);
            store.put(BareJid.of("alice", "localhost"), Credentials.fromPassword("wonderland"));
            store.put(BareJid.of("bob", "localhost"), Credentials.fromPassword("builder"));
            store.put(BareJid.of("bot", "localhost"), Credentials.fromPassword("beep"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestCertificates() {
    }

    static X509TrustManager trustManager() {
        return TrustedTls.trusting(CERTIFICATE);
    }

    static SSLContext sslContext() {
        return TrustedTls.sslContext(trustManager());
    }

    /** A port free now (for a client configured before the server starts). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
