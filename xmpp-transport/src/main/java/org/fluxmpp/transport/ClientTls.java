package org.fluxmpp.transport;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The client's TLS setup: which certificates it trusts. The server's certificate must chain to a trusted one and
 * name the XMPP domain the client connects to (RFC 6120 section 13.7.2, RFC 9525 DNS-ID, checked with the JDK's
 * {@code HTTPS} endpoint identification against the domain, never against the host an SRV record named). Only TLS
 * 1.3 and 1.2 are enabled.
 *
 * <pre>{@code
 * XmppClient.create().jid("bot@example.com").password(secret)
 *     .secure(tls -> tls.trustCertificates(companyCa));      // default: the JDK's trust store
 * }</pre>
 *
 * <p>Immutable: every setter returns a new instance.
 */
public final class ClientTls {

    private static final ClientTls SYSTEM = new ClientTls(null, null, defaultProvider());

    private final @Nullable X509TrustManager trustManager;
    private final X509Certificate @Nullable [] certificates;
    private final SslProvider provider;
    private volatile @Nullable SslContext context;
    private volatile @Nullable SslContext directContext;

    private ClientTls(@Nullable X509TrustManager trustManager, X509Certificate @Nullable [] certificates,
                      SslProvider provider) {
        this.trustManager = trustManager;
        this.certificates = certificates;
        this.provider = provider;
    }

    /** BoringSSL when it loads, as the server does: a handshake costs a fraction of the JDK engine's CPU. */
    private static SslProvider defaultProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /**
     * The JDK's {@code SSLEngine}, whatever else is available: for the {@code tls-exporter} channel binding (RFC
     * 9266), which only the JDK's engine exports (JDK 25 and later); elsewhere SCRAM -PLUS uses
     * {@code tls-server-end-point}.
     */
    public ClientTls withJdkProvider() {
        return new ClientTls(trustManager, certificates, SslProvider.JDK);
    }

    /** The TLS implementation in use: {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}. */
    public SslProvider provider() {
        return provider;
    }

    /** The JDK's default trust store (the default of {@link XmppClient}). */
    public static ClientTls system() {
        return SYSTEM;
    }

    /** Trusts what this trust manager trusts (and nothing from the JDK's store). */
    public ClientTls trustManager(X509TrustManager trustManager) {
        return new ClientTls(Objects.requireNonNull(trustManager, "trustManager"), null, provider);
    }

    /** Trusts exactly these certificates as anchors (a private CA, or a server's own self-signed certificate). */
    public ClientTls trustCertificates(X509Certificate... certificates) {
        if (certificates.length == 0) {
            throw new IllegalArgumentException("no certificate to trust");
        }
        return new ClientTls(null, certificates.clone(), provider);
    }

    /**
     * Trusts exactly the certificates in this PEM file as anchors, such as the demo server's
     * {@code DIR/tls/cert.pem}.
     *
     * @throws UncheckedIOException when the file cannot be read or holds no certificate
     */
    public ClientTls trustCertificates(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            X509Certificate[] certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            if (certs.length == 0) {
                throw new IOException("no certificate in " + pemFile);
            }
            return trustCertificates(certs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pemFile + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new UncheckedIOException(new IOException("invalid certificate in " + pemFile, e));
        }
    }

    /**
     * The Netty context for STARTTLS (or, with {@code direct}, for XEP-0368 direct TLS, which also asks for the ALPN
     * protocol {@value ServerTls#ALPN_XMPP_CLIENT}). For the transport; built once.
     *
     * @throws IllegalStateException when the JDK cannot build it
     */
    public SslContext sslContext(boolean direct) {
        SslContext c = direct ? directContext : context;
        if (c == null) {
            c = build(direct);
            if (direct) {
                directContext = c;
            } else {
                context = c;
            }
        }
        return c;
    }

    private SslContext build(boolean direct) {
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(ServerTls.PROTOCOLS)
                .endpointIdentificationAlgorithm("HTTPS");
        if (trustManager != null) {
            b.trustManager(trustManager);
        } else if (certificates != null) {
            b.trustManager(certificates);
        }
        if (direct) {
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    List.of(ServerTls.ALPN_XMPP_CLIENT)));
        }
        try {
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
