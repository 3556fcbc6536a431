package org.fluxmpp.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's TLS setup, checked with in-memory handshakes (no sockets). */
class ServerTlsTest {

    private static final char[] PASSWORD = "store-pass".toCharArray();

    private static ServerTls localhost;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        localhost = ServerTls.selfSigned("localhost");
    }

    @Test
    void boringSslIsUsedWhenItLoadsAndTheJdkOnRequest() {
        // netty-tcnative-boringssl-static is on the test class path, as it is in the demo server.
        assertThat(io.netty.handler.ssl.OpenSsl.isAvailable()).isTrue();
        assertThat(localhost.provider()).isEqualTo(io.netty.handler.ssl.SslProvider.OPENSSL);
        assertThat(localhost.withJdkProvider().provider()).isEqualTo(io.netty.handler.ssl.SslProvider.JDK);
        assertThat(localhost.withJdkProvider().certificate()).isEqualTo(localhost.certificate());
    }

    @Test
    void onlyTls13AndTls12AreEnabled() {
        for (ServerTls tls : java.util.List.of(localhost, localhost.withJdkProvider())) {
            SSLEngine engine = tls.sslContext().newEngine(ByteBufAllocator.DEFAULT);
            try {
                // "SSLv2Hello" is not a protocol but a ClientHello format that Netty's OpenSSL engine lists;
                // BoringSSL negotiates no SSL 2 or 3 at all.
                assertThat(engine.getEnabledProtocols()).filteredOn(p -> !p.equals("SSLv2Hello"))
                        .as("%s", tls.provider()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
                assertThat(engine.getUseClientMode()).isFalse();
            } finally {
                ReferenceCountUtil.release(engine);
            }
        }
        assertThat(ServerTls.PROTOCOLS).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(localhost.sslContext().isServer()).isTrue();
    }

    @Test
    void selfSignedCertificateNamesTheDomainAndHasAnEcKey() throws Exception {
        ServerTls tls = ServerTls.selfSigned("xmpp.example.org");
        X509Certificate cert = tls.certificate();

        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(2, "xmpp.example.org"));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=xmpp.example.org");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // id-kp-serverAuth
        cert.checkValidity();
        cert.verify(cert.getPublicKey());
        assertThat(tls.toString()).contains("CN=xmpp.example.org");
    }

    @Test
    void selfSignedContextCompletesAHandshakeWithAClientTrustingIt() throws Exception {
        handshake(localhost, localhost.certificate());
    }

    @Test
    void writeSelfSignedThenPemRoundTrips() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");

        ServerTls.writeSelfSigned("localhost", cert, key);
        ServerTls tls = ServerTls.pem(cert, key);

        assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(key)).contains("PRIVATE KEY-----");
        X509Certificate written;
        try (InputStream in = Files.newInputStream(cert)) {
            written = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(tls.certificate()).isEqualTo(written);
        assertThat(tls.certificate().getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
        handshake(tls, written);
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
    }

    @Test
    void writeSelfSignedReplacesExistingFiles() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        ServerTls.writeSelfSigned("localhost", cert, key);
        X509Certificate first = ServerTls.pem(cert, key).certificate();

        ServerTls.writeSelfSigned("localhost", cert, key);
        ServerTls second = ServerTls.pem(cert, key);

        assertThat(second.certificate()).isNotEqualTo(first);
        handshake(second, second.certificate());
    }

    @Test
    void pkcs12LoadsAStoreWithAKeyAndCertificate() throws Exception {
        X509Bundle bundle = bundle("store.example");
        Path store = dir.resolve("server.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", bundle.getCertificate());
        ks.setKeyEntry("server", bundle.getKeyPair().getPrivate(), PASSWORD,
                new X509Certificate[] {bundle.getCertificate()});
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, PASSWORD);
        }

        ServerTls tls = ServerTls.pkcs12(store, PASSWORD.clone());

        assertThat(tls.certificate()).isEqualTo(bundle.getCertificate());
        handshake(tls, bundle.getCertificate());
    }

    @Test
    void pkcs12WithAWrongPasswordFails() throws Exception {
        Path store = storeWithKey(bundle("store.example"));

        assertThatThrownBy(() -> ServerTls.pkcs12(store, "wrong".toCharArray()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(store.toString());
    }

    @Test
    void pkcs12WithoutAPrivateKeyFails() throws Exception {
        Path store = dir.resolve("certs-only.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", bundle("store.example").getCertificate());
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, PASSWORD);
        }

        assertThatThrownBy(() -> ServerTls.pkcs12(store, PASSWORD.clone()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("no private key");
    }

    @Test
    void pkcs12MissingFileFails() {
        Path missing = dir.resolve("missing.p12");

        assertThatThrownBy(() -> ServerTls.pkcs12(missing, PASSWORD.clone()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void pemMissingFileFails() {
        Path cert = dir.resolve("missing-cert.pem");
        Path key = dir.resolve("missing-key.pem");

        assertThatThrownBy(() -> ServerTls.pem(cert, key))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(cert.toString());
    }

    @Test
    void pemMissingKeyFails() {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        ServerTls.writeSelfSigned("localhost", cert, key);
        Path missing = dir.resolve("missing-key.pem");

        assertThatThrownBy(() -> ServerTls.pem(cert, missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void pemWithGarbageFails() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, "not a certificate\n");
        Files.writeString(key, "not a key\n");

        assertThatThrownBy(() -> ServerTls.pem(cert, key)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void emptyChainIsRejected() {
        X509Bundle bundle = bundle("store.example");

        assertThatThrownBy(() -> ServerTls.of(bundle.getKeyPair().getPrivate(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private Path storeWithKey(X509Bundle bundle) throws Exception {
        Path store = dir.resolve("server.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", bundle.getKeyPair().getPrivate(), PASSWORD,
                new X509Certificate[] {bundle.getCertificate()});
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, PASSWORD);
        }
        return store;
    }

    private static X509Bundle bundle(String domain) {
        try {
            Instant now = Instant.now();
            return new CertificateBuilder()
                    .subject("CN=" + domain)
                    .addSanDnsName(domain)
                    .ecp256()
                    .notBefore(now.minus(1, ChronoUnit.DAYS))
                    .notAfter(now.plus(1, ChronoUnit.DAYS))
                    .setIsCertificateAuthority(true)
                    .buildSelfSigned();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a TLS handshake in memory between the server's engine and a JDK client that trusts only {@code trusted},
     * then sends a message through it: proves the context's key belongs to the certificate and the context works.
     */
    private static void handshake(ServerTls tls, X509Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        SSLEngine client = clientContext.createSSLEngine("localhost", 5222);
        client.setUseClientMode(true);
        SSLEngine server = tls.sslContext().newEngine(ByteBufAllocator.DEFAULT);
        try {
            int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
            int app = Math.max(client.getSession().getApplicationBufferSize(),
                    server.getSession().getApplicationBufferSize());
            ByteBuffer clientToServer = ByteBuffer.allocate(packet * 4);
            ByteBuffer serverToClient = ByteBuffer.allocate(packet * 4);
            ByteBuffer clientIn = ByteBuffer.allocate(app * 2);
            ByteBuffer serverIn = ByteBuffer.allocate(app * 2);
            ByteBuffer clientOut = ByteBuffer.wrap("<stream:stream>".getBytes(UTF_8));
            ByteBuffer none = ByteBuffer.allocate(0);
            client.beginHandshake();
            server.beginHandshake();
            for (int i = 0; i < 100 && serverIn.position() == 0; i++) {
                boolean established = client.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                        && server.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
                run(client, client.wrap(established ? clientOut : none, clientToServer));
                run(server, server.wrap(none, serverToClient));
                clientToServer.flip();
                run(server, server.unwrap(clientToServer, serverIn));
                clientToServer.compact();
                serverToClient.flip();
                run(client, client.unwrap(serverToClient, clientIn));
                serverToClient.compact();
            }
            serverIn.flip();
            assertThat(UTF_8.decode(serverIn).toString()).isEqualTo("<stream:stream>");
            assertThat(client.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(trusted);
        } finally {
            ReferenceCountUtil.release(server);
        }
    }

    private static void run(SSLEngine engine, SSLEngineResult result) throws SSLException {
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("engine closed during the handshake");
        }
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
