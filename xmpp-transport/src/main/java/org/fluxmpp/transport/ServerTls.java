package org.fluxmpp.transport;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SslProtocols;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The server's TLS setup: a certificate and key, from PEM files, a PKCS#12 store, or generated for development.
 * Only TLS 1.3 and TLS 1.2 are enabled (RFC 9325; RFC 6120 section 5 leaves versions to current practice).
 *
 * <pre>{@code
 * ServerTls tls = ServerTls.pem(Path.of("cert.pem"), Path.of("key.pem"));
 * ServerTls dev = ServerTls.selfSigned("localhost");          // never for production
 * XmppServer.create().secure(tls);
 * }</pre>
 */
public final class ServerTls {

    /** The protocol versions enabled, newest first. */
    public static final List<String> PROTOCOLS = List.of(SslProtocols.TLS_v1_3, SslProtocols.TLS_v1_2);

    /** The ALPN protocol name of client-to-server XMPP over direct TLS (XEP-0368): {@value}. */
    public static final String ALPN_XMPP_CLIENT = "xmpp-client";

    private final Supplier<SslContextBuilder> builder;
    private final SslProvider provider;
    private final SslContext context;
    private final SslContext directContext;
    private final X509Certificate certificate;

    private ServerTls(Supplier<SslContextBuilder> builder, X509Certificate certificate, SslProvider provider)
            throws SSLException {
        this.builder = builder;
        this.provider = provider;
        this.context = configure(builder.get()).build();
        // XEP-0368: direct TLS negotiates the application protocol "xmpp-client" with ALPN where the client asks.
        this.directContext = configure(builder.get()).applicationProtocolConfig(new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ALPN_XMPP_CLIENT)).build();
        this.certificate = certificate;
    }

    private ServerTls(Supplier<SslContextBuilder> builder, X509Certificate certificate) throws SSLException {
        this(builder, certificate, defaultProvider());
    }

    /**
     * OpenSSL (BoringSSL from {@code netty-tcnative-boringssl-static}) when it is on the class path and loads, else
     * the JDK's {@code SSLEngine}: a TLS 1.3 handshake costs the JDK 17 provider several times the CPU (X25519 and
     * ECDSA in Java), which caps logins per second.
     */
    private static SslProvider defaultProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /**
     * The same certificate with the JDK's {@code SSLEngine}, whatever else is available: where a JDK-only feature
     * matters more than handshake speed, such as the {@code tls-exporter} channel binding, which only the JDK
     * (25 and later) exports.
     *
     * @throws IllegalStateException when the JDK cannot use this key and certificate
     */
    public ServerTls withJdkProvider() {
        try {
            return new ServerTls(builder, certificate, SslProvider.JDK);
        } catch (SSLException e) {
            throw new IllegalStateException("the JDK provider cannot use this key: " + e.getMessage(), e);
        }
    }

    /** The TLS implementation in use: {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}. */
    public SslProvider provider() {
        return provider;
    }

    /**
     * TLS with a certificate chain and private key in PEM files.
     *
     * @throws UncheckedIOException when a file cannot be read or parsed
     */
    public static ServerTls pem(Path certificateChain, Path privateKey) {
        try {
            byte[] certs = Files.readAllBytes(certificateChain);
            byte[] key = Files.readAllBytes(privateKey);
            X509Certificate leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certs));
            return new ServerTls(() -> SslContextBuilder.forServer(new ByteArrayInputStream(certs),
                    new ByteArrayInputStream(key)), leaf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + certificateChain + " or " + privateKey + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("invalid certificate or key: " + e.getMessage(), e));
        }
    }

    /**
     * TLS with the first private key entry of a PKCS#12 store.
     *
     * @throws UncheckedIOException when the store cannot be read, the password is wrong, or it holds no key
     */
    public static ServerTls pkcs12(Path store, char[] password) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); ) {
                String alias = e.nextElement();
                if (ks.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) ks.getKey(alias, password);
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : ks.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return of(key, chain);
                }
            }
            throw new UncheckedIOException(new IOException(store + " holds no private key"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new UncheckedIOException(new IOException("cannot load " + store + ": " + e.getMessage(), e));
        }
    }

    /**
     * TLS with this key and certificate chain (leaf first).
     *
     * @throws IllegalArgumentException when the chain is empty or the key does not fit
     */
    public static ServerTls of(PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
        X509Certificate[] certs = chain.toArray(new X509Certificate[0]);
        try {
            return new ServerTls(() -> SslContextBuilder.forServer(key, certs), certs[0]);
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot use this key and chain: " + e.getMessage(), e);
        }
    }

    /**
     * TLS with a freshly generated self-signed ECDSA P-256 certificate for this domain (subject and DNS
     * subjectAltName, as RFC 6125 clients check): for development and tests only, as no client trusts it without
     * being told to.
     *
     * @throws IllegalStateException when the certificate cannot be generated
     */
    public static ServerTls selfSigned(String domain) {
        X509Bundle bundle = generate(domain);
        return of(bundle.getKeyPair().getPrivate(), bundle.getCertificatePathList());
    }

    /**
     * Generates a self-signed certificate as {@link #selfSigned(String)} does and writes it and its private key as
     * PEM files (the key readable by its owner only where the file system allows), for {@link #pem(Path, Path)}.
     *
     * @throws UncheckedIOException when a file cannot be written
     */
    public static void writeSelfSigned(String domain, Path certificateChain, Path privateKey) {
        X509Bundle bundle = generate(domain);
        try {
            Files.writeString(certificateChain, bundle.getCertificatePathPEM());
            Files.deleteIfExists(privateKey);
            try {
                Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(privateKey);
            }
            Files.writeString(privateKey, bundle.getPrivateKeyPEM());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the certificate: " + e.getMessage(), e);
        }
    }

    private static X509Bundle generate(String domain) {
        try {
            Instant now = Instant.now();
            return new CertificateBuilder()
                    .subject("CN=" + domain)
                    .addSanDnsName(domain)
                    .ecp256()
                    .notBefore(now.minus(1, ChronoUnit.DAYS))
                    .notAfter(now.plus(365, ChronoUnit.DAYS))
                    .addExtendedKeyUsageServerAuth()
                    // Self-signed means its own trust anchor: clients told to trust it treat it as a root.
                    .setIsCertificateAuthority(true)
                    .buildSelfSigned();
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private SslContextBuilder configure(SslContextBuilder b) {
        return b.sslProvider(provider).protocols(PROTOCOLS);
    }

    /** The Netty SSL context (server mode) for STARTTLS. */
    public SslContext sslContext() {
        return context;
    }

    /** The Netty SSL context for direct TLS (XEP-0368), which also offers ALPN {@value #ALPN_XMPP_CLIENT}. */
    public SslContext directTlsContext() {
        return directContext;
    }

    /** The server's own (leaf) certificate, which {@code tls-server-end-point} channel binding hashes. */
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public String toString() {
        return "ServerTls[" + Objects.toString(certificate.getSubjectX500Principal()) + "]";
    }
}
