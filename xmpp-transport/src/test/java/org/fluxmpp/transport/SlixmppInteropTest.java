package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * slixmpp (Debian's python3-slixmpp 1.8.3), a client written by others, logs in with SCRAM-SHA-256 (and -512)
 * over STARTTLS, verifying the server certificate, and exchanges messages with a Smack client through the server.
 */
class SlixmppInteropTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void slixmppIsInstalled() throws Exception {
        Peers.ensureSlixmpp();
    }

    private record Run(int exitCode, String output) {
    }

    private Run slixmpp(TestServer server, String jid, String password, String peer, String mechanism)
            throws Exception {
        return slixmpp(server.port(), "starttls", jid, password, peer, mechanism);
    }

    private Run slixmpp(int port, String tls, String jid, String password, String peer, String mechanism)
            throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, TestServer.certificatePem());
        Path script = dir.resolve("slixmpp_chat.py");
        if (!Files.exists(script)) {
            try (InputStream in = SlixmppInteropTest.class.getResourceAsStream("/slixmpp_chat.py")) {
                Files.copy(in, script);
            }
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), jid, password, peer, "127.0.0.1",
                Integer.toString(port), ca.toString(), mechanism, tls).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as(output).isTrue();
        return new Run(p.exitValue(), output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void slixmppLogsInWithScramAndChatsWithSmack(String mechanism) throws Exception {
        // slixmpp 1.8.3 binds channels only with tls-unique (undefined under TLS 1.3) and then sends the 'y' flag,
        // which a server that offers -PLUS must refuse as a downgrade (see the next test): so no -PLUS here.
        try (TestServer server = TestServer.start(s -> s.authentication(sasl -> sasl.scramSha512().scramSha256()
                        .scramSha1().plain())).account("alice", "py-secret").account("bob", "java-secret")) {
            XMPPTCPConnection bob = SmackClients.connect(server, "bob", "java-secret", "SCRAM-SHA-1", "smack");
            try {
                bob.addAsyncStanzaListener(s -> {
                    Message m = (Message) s;
                    if ("hello from slixmpp".equals(m.getBody())) {
                        try {
                            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(m.getFrom())
                                    .setBody("hello slixmpp").build());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, s -> s instanceof Message);

                Run run = slixmpp(server, "alice@localhost", "py-secret", "bob@localhost/smack", mechanism);
                assertThat(run.exitCode()).as(run.output()).isZero();
                assertThat(run.output()).contains("MECHANISM " + mechanism)
                        .containsPattern("BOUND alice@localhost/\\S+")
                        .contains("RECEIVED bob@localhost/smack hello slixmpp");
            } finally {
                bob.disconnect();
            }
        }
    }

    @Test
    void slixmppLogsInOverDirectTls() throws Exception {
        try (TestServer server = TestServer.start(s -> s.directTlsPort(0).authentication(sasl -> sasl.scramSha256()))
                .account("alice", "py-secret")) {
            // Messages to oneself come back: a full round trip through the router over XEP-0368 direct TLS.
            Run run = slixmpp(server.server.directTlsPort(), "direct", "alice@localhost/py", "py-secret",
                    "alice@localhost/py", "SCRAM-SHA-256");
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("MECHANISM SCRAM-SHA-256").contains("BOUND alice@localhost/py")
                    .contains("RECEIVED alice@localhost/py hello from slixmpp");
        }
    }

    @Test
    void aClientThatSeesNoChannelBindingWhereTheServerOfferedItIsRefusedAsADowngrade() throws Exception {
        // RFC 5802 section 6: the 'y' flag says "I bind channels but you offered none"; this server did offer
        // -PLUS, so someone stripped it on the way. slixmpp sends 'y' here (see above), a real peer showing it.
        try (TestServer server = TestServer.start().account("alice", "py-secret")) {
            Run run = slixmpp(server, "alice@localhost", "py-secret", "alice@localhost", "SCRAM-SHA-256");
            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("AUTH FAILED").contains("not-authorized").contains("downgrade");
        }
    }
}
