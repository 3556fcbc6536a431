package org.fluxmpp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

/**
 * TLS for test clients that trust exactly one certificate (a test server's self-signed one), as a client configured
 * for a private deployment would: trust managers, a JDK {@link SSLContext}, and a reactor-netty {@link HttpClient}
 * for {@code https} and {@code wss}. Shared by the modules' tests through xmpp-transport's test-jar.
 */
public final class TrustedTls {

    private TrustedTls() {
    }

    /** Trusts exactly this certificate. */
    public static X509TrustManager trusting(X509Certificate certificate) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("trusted", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trusts exactly the (first) certificate in this PEM file. */
    public static X509TrustManager trusting(Path pemCertificate) {
        try (InputStream in = Files.newInputStream(pemCertificate)) {
            return trusting((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read " + pemCertificate, e);
        }
    }

    /** A JDK TLS context with this trust. */
    public static SSLContext sslContext(X509TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A reactor-netty HTTP client for {@code https} and {@code wss} with this trust. Host name checking is off: the
     * certificates name {@code localhost} while tests dial {@code 127.0.0.1}, and trusting exactly one certificate
     * already pins the server.
     */
    public static HttpClient httpClient(X509TrustManager trust) {
        return HttpClient.create().secure(spec -> spec
                .sslContext(Http11SslContextSpec.forClient().configure(b -> b.trustManager(trust)))
                .handlerConfigurator(h -> {
                    SSLParameters p = h.engine().getSSLParameters();
                    p.setEndpointIdentificationAlgorithm(null);
                    h.engine().setSSLParameters(p);
                }));
    }
}
