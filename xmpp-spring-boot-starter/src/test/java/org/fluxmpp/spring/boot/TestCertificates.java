package org.fluxmpp.spring.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.fluxmpp.jid.BareJid;
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
        try {
            X509Certificate cert;
            try (var in = Files.newInputStream(CERTIFICATE)) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("fluxmpp", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext sslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {trustManager()}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
