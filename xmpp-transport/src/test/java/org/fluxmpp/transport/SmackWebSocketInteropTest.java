package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import javax.net.ssl.SSLContext;
import org.fluxmpp.testing.SmackChat;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnection;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnectionConfiguration;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.websocket.XmppWebSocketTransportModuleDescriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Smack 4.5's WebSocket transport ({@code smack-websocket-java11}) logs in over {@code wss} (RFC 7395) and chats with
 * a Smack client over TCP through the same router.
 */
class SmackWebSocketInteropTest {

    private static TestServer server;
    private static SSLContext previousDefault;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(s -> s.webSocketPort(0)).account("alice", "wonderland").account("bob", "builder");
        // Smack's Java 11 WebSocket builds its HttpClient once, from the default SSLContext, with no setting for a
        // trust manager: so the default trusts the test certificate while Smack first loads.
        previousDefault = SSLContext.getDefault();
        SSLContext.setDefault(TestServer.sslContext());
    }

    @AfterAll
    static void stop() {
        SSLContext.setDefault(previousDefault);
        server.close();
    }

    @Test
    void smackLogsInOverWebSocketAndChatsWithSmackOverTcp() throws Exception {
        ModularXmppClientToServerConnectionConfiguration.Builder b =
                ModularXmppClientToServerConnectionConfiguration.builder()
                        .setXmppDomain(TestServer.DOMAIN)
                        .setUsernameAndPassword("alice", "wonderland")
                        .setResource("web")
                        .addEnabledSaslMechanism("SCRAM-SHA-1")
                        .setSendPresence(false);
        b.removeAllModules();
        b.addModule(XmppWebSocketTransportModuleDescriptor.getBuilder(b)
                .explicitlySetWebSocketEndpointAndDiscovery(URI.create("wss://localhost:"
                        + server.server.webSocketPort() + XmppServer.DEFAULT_WEBSOCKET_PATH), false)
                .build());
        ModularXmppClientToServerConnection alice = new ModularXmppClientToServerConnection(b.build());
        XMPPTCPConnection bob = SmackClients.connect(server, "bob", "builder", "PLAIN", "laptop");
        try {
            alice.connect().login();
            assertThat(alice.isAuthenticated()).isTrue();
            assertThat(alice.getUser().toString()).isEqualTo("alice@localhost/web");

            Message atBob = SmackChat.send(alice, bob, "bob@localhost/laptop", "Hello Bob");
            assertThat(atBob).isNotNull();
            assertThat(atBob.getBody()).isEqualTo("Hello Bob");
            assertThat(atBob.getFrom().toString()).isEqualTo("alice@localhost/web");

            Message atAlice = SmackChat.send(bob, alice, "alice@localhost/web", "Hello Alice");
            assertThat(atAlice).isNotNull();
            assertThat(atAlice.getBody()).isEqualTo("Hello Alice");
            assertThat(atAlice.getFrom().toString()).isEqualTo("bob@localhost/laptop");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }
}
