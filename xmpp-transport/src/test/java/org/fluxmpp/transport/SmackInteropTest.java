package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.fluxmpp.testing.SmackChat;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Smack 4.5, the Java client most people use, against a real Fluxmpp server over STARTTLS: login with SCRAM-SHA-1
 * and with PLAIN, resource binding, messages both ways, XEP-0199 ping, clean disconnect.
 */
class SmackInteropTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start().account("alice", "wonderland").account("bob", "builder");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnection connect(String user, String password, String mechanism, String resource)
            throws Exception {
        return SmackClients.connect(server, user, password, mechanism, resource);
    }

    @Test
    void twoClientsLogInOverStartTlsWithScramAndPlainAndChat() throws Exception {
        XMPPTCPConnection alice = connect("alice", "wonderland", "SCRAM-SHA-1", "phone");
        XMPPTCPConnection bob = connect("bob", "builder", "PLAIN", "laptop");
        try {
            assertThat(alice.isSecureConnection()).isTrue();
            assertThat(alice.isAuthenticated()).isTrue();
            assertThat(alice.getUsedSaslMechansism()).isEqualTo("SCRAM-SHA-1");
            assertThat(bob.getUsedSaslMechansism()).isEqualTo("PLAIN");
            assertThat(alice.getUser().toString()).isEqualTo("alice@localhost/phone");
            assertThat(bob.getUser().toString()).isEqualTo("bob@localhost/laptop");

            Message atBob = SmackChat.send(alice, bob, "bob@localhost/laptop", "Hello Bob");
            assertThat(atBob).isNotNull();
            assertThat(atBob.getBody()).isEqualTo("Hello Bob");
            // The server stamps 'from' with the sender's full JID (RFC 6120 8.1.2.1).
            assertThat(atBob.getFrom().toString()).isEqualTo("alice@localhost/phone");

            // To the bare JID: delivered to the account's (only, hence most recently active) resource.
            Message atAlice = SmackChat.send(bob, alice, "alice@localhost", "Hello Alice");
            assertThat(atAlice).isNotNull();
            assertThat(atAlice.getBody()).isEqualTo("Hello Alice");
            assertThat(atAlice.getFrom().toString()).isEqualTo("bob@localhost/laptop");

            assertThat(PingManager.getInstanceFor(alice).pingMyServer(true, 10_000)).isTrue();
            assertThat(PingManager.getInstanceFor(bob).pingMyServer(true, 10_000)).isTrue();
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
        assertThat(alice.isConnected()).isFalse();
        assertThat(bob.isConnected()).isFalse();
    }

    @Test
    void serviceDiscoveryVersionAndIqsBetweenAccounts() throws Exception {
        XMPPTCPConnection alice = connect("alice", "wonderland", "SCRAM-SHA-1", "disco");
        XMPPTCPConnection bob = connect("bob", "builder", "SCRAM-SHA-1", "iq");
        try {
            // XEP-0030 and XEP-0092 answered by the server's built-in routes.
            org.jivesoftware.smackx.disco.packet.DiscoverInfo info =
                    org.jivesoftware.smackx.disco.ServiceDiscoveryManager.getInstanceFor(alice)
                            .discoverInfo(JidCreate.domainBareFrom("localhost"));
            assertThat(info.containsFeature("urn:xmpp:ping")).isTrue();
            assertThat(info.containsFeature("http://jabber.org/protocol/disco#info")).isTrue();
            assertThat(info.getIdentities()).anySatisfy(id -> {
                assertThat(id.getCategory()).isEqualTo("server");
                assertThat(id.getType()).isEqualTo("im");
            });
            org.jivesoftware.smackx.iqversion.packet.Version version =
                    org.jivesoftware.smackx.iqversion.VersionManager.getInstanceFor(alice)
                            .getVersion(JidCreate.domainBareFrom("localhost"));
            assertThat(version.getName()).isEqualTo("Fluxmpp");

            // An IQ from one account to another's full JID, answered by that client (Smack answers pings).
            assertThat(PingManager.getInstanceFor(alice).ping(JidCreate.entityFullFrom("bob@localhost/iq"), 10_000))
                    .isTrue();
            // To a resource that is not bound: service-unavailable, which Smack reports as a failed ping.
            assertThat(PingManager.getInstanceFor(alice).ping(JidCreate.entityFullFrom("bob@localhost/gone"),
                    10_000)).isFalse();
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connect("alice", "wrong", "SCRAM-SHA-1", "x"))
                .isInstanceOf(org.jivesoftware.smack.sasl.SASLErrorException.class)
                .hasMessageContaining("not-authorized");
    }
}
