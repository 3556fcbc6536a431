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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * slixmpp (Debian's python3-slixmpp 1.8.3), a client written by others, logs in with SCRAM-SHA-256 (and -512)
 * over STARTTLS, verifying the server certificate, and exchanges messages with a Smack client through the server.
 */
class SlixmppInteropTest {

    @BeforeAll
    static void slixmppIsInstalled() throws Exception {
        Peers.ensureSlixmpp();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void slixmppLogsInWithScramAndChatsWithSmack(String mechanism, @TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start().account("alice", "py-secret").account("bob", "java-secret")) {
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

                Path ca = dir.resolve("ca.pem");
                Files.writeString(ca, TestServer.certificatePem());
                Path script = dir.resolve("slixmpp_chat.py");
                try (InputStream in = SlixmppInteropTest.class.getResourceAsStream("/slixmpp_chat.py")) {
                    Files.copy(in, script);
                }
                Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "alice@localhost",
                        "py-secret", "bob@localhost/smack", "127.0.0.1", Integer.toString(server.port()),
                        ca.toString(), mechanism).redirectErrorStream(true).start();
                boolean done = p.waitFor(60, TimeUnit.SECONDS);
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!done) {
                    p.destroyForcibly();
                }
                assertThat(done).as(output).isTrue();
                assertThat(p.exitValue()).as(output).isZero();
                assertThat(output).contains("MECHANISM " + mechanism)
                        .containsPattern("BOUND alice@localhost/\\S+")
                        .contains("RECEIVED bob@localhost/smack hello slixmpp");
            } finally {
                bob.disconnect();
            }
        }
    }
}
