package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.fluxmpp.testing.SmackChat;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prosody fixture works, proved with Smack 4.5 as the client: SCRAM-SHA-1 and PLAIN logins over STARTTLS, a
 * message each way, XEP-0199 ping, and a stop and start of Prosody on the same port and data with a fresh login.
 * Also records what Prosody 0.12 offers, which the client's tests against it rely on.
 */
class ProsodyFixtureTest {

    private static Prosody prosody;

    @BeforeAll
    static void start() {
        prosody = Prosody.create().register("alice", "wonderland").register("bob", "builder").start();
    }

    @AfterAll
    static void stop() {
        if (prosody != null) {
            prosody.close();
        }
    }

    @Test
    void smackLogsInWithScramAndPlainOverStartTlsAndChats() throws Exception {
        XMPPTCPConnection alice = SmackClients.connect(prosody, "alice", "wonderland", "SCRAM-SHA-1", "phone");
        XMPPTCPConnection bob = SmackClients.connect(prosody, "bob", "builder", "PLAIN", "laptop");
        try {
            assertThat(alice.isSecureConnection()).isTrue();
            assertThat(bob.isSecureConnection()).isTrue();
            assertThat(alice.getUsedSaslMechansism()).isEqualTo("SCRAM-SHA-1");
            assertThat(bob.getUsedSaslMechansism()).isEqualTo("PLAIN");
            assertThat(alice.getUser().toString()).isEqualTo("alice@localhost/phone");
            assertThat(bob.getUser().toString()).isEqualTo("bob@localhost/laptop");

            // Full JIDs: neither client sent presence, so Prosody would not deliver to a bare JID.
            Message atBob = SmackChat.send(alice, bob, "bob@localhost/laptop", "Hello Bob");
            assertThat(atBob).as("message at Bob; %s", prosody.log()).isNotNull();
            assertThat(atBob.getBody()).isEqualTo("Hello Bob");
            assertThat(atBob.getFrom().toString()).isEqualTo("alice@localhost/phone");

            Message atAlice = SmackChat.send(bob, alice, "alice@localhost/phone", "Hello Alice");
            assertThat(atAlice).as("message at Alice; %s", prosody.log()).isNotNull();
            assertThat(atAlice.getBody()).isEqualTo("Hello Alice");
            assertThat(atAlice.getFrom().toString()).isEqualTo("bob@localhost/laptop");

            assertThat(PingManager.getInstanceFor(alice).pingMyServer(true, 10_000)).isTrue();
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
        // The configuration is complete: Prosody logged no error (its log is at "warn" and above).
        assertThat(prosody.log()).doesNotContain("\terror\t");
    }

    @Test
    void survivesStopAndStartOnTheSamePortAndData() throws Exception {
        long before = prosody.pid();
        XMPPTCPConnection first = SmackClients.connect(prosody, "alice", "wonderland", "SCRAM-SHA-1", "before");
        prosody.stop();
        assertThat(prosody.isRunning()).isFalse();
        assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(prosody.directory().resolve("prosody.pid")).as("Prosody removes its pidfile on SIGTERM")
                .doesNotExist();
        // The port is closed while Prosody is down, and the client saw its stream end.
        assertThatThrownBy(() -> new Socket("127.0.0.1", prosody.port()).close()).isInstanceOf(IOException.class);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !first.isConnected());
        // Accounts can be added while it is down; the data directory is kept.
        prosody.register("carol", "sweet");

        prosody.start();
        assertThat(prosody.pid()).isNotEqualTo(before);
        XMPPTCPConnection alice = SmackClients.connect(prosody, "alice", "wonderland", "SCRAM-SHA-1", "after");
        XMPPTCPConnection carol = SmackClients.connect(prosody, "carol", "sweet", "PLAIN", "new");
        try {
            assertThat(alice.isAuthenticated()).isTrue();
            assertThat(carol.isAuthenticated()).isTrue();
            assertThat(PingManager.getInstanceFor(carol).pingMyServer(true, 10_000)).isTrue();
        } finally {
            alice.disconnect();
            carol.disconnect();
            first.disconnect();
        }
    }

    /**
     * What Prosody 0.12 offers after TLS, read from the raw stream on its direct TLS port (XEP-0368, with ALPN
     * {@code xmpp-client} and SNI): SCRAM-SHA-1 and PLAIN; SCRAM-SHA-1-PLUS only under TLS 1.2, because its only
     * channel binding is {@code tls-unique}, which TLS 1.3 does not define.
     */
    @Test
    void offersScramSha1AndPlainAndPlusOnlyUnderTls12() throws Exception {
        String tls13 = featuresOverDirectTls("TLSv1.3");
        assertThat(mechanisms(tls13)).containsExactlyInAnyOrder("SCRAM-SHA-1", "PLAIN");
        String tls12 = featuresOverDirectTls("TLSv1.2");
        assertThat(mechanisms(tls12)).containsExactlyInAnyOrder("SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN");
        // No XEP-0440 list of channel-binding types: a client cannot learn that it is tls-unique.
        assertThat(tls12).doesNotContain("urn:xmpp:sasl-cb:0");
    }

    private static String featuresOverDirectTls(String protocol) throws IOException {
        try (SSLSocket s = (SSLSocket) prosody.sslContext().getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", prosody.directTlsPort()), 5_000);
            s.setSoTimeout(10_000);
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {protocol});
            p.setServerNames(List.of(new SNIHostName(prosody.domain())));
            p.setApplicationProtocols(new String[] {ServerTls.ALPN_XMPP_CLIENT});
            // The same check a client does (RFC 6125): the certificate must name the domain.
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo(protocol);
            s.getOutputStream().write(("<?xml version='1.0'?><stream:stream to='" + prosody.domain()
                    + "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")
                    .getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            String features = readUntil(s.getInputStream(), "</stream:features>");
            s.getOutputStream().write("</stream:stream>".getBytes(StandardCharsets.UTF_8));
            return features;
        }
    }

    private static List<String> mechanisms(String features) {
        return java.util.regex.Pattern.compile("<mechanism>([^<]+)</mechanism>").matcher(features).results()
                .map(m -> m.group(1)).toList();
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        while (sb.indexOf(end) < 0) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("stream ended before " + end + ": " + sb);
            }
            sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
