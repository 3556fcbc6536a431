package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Removing an account from the credential store while the server runs ends that account's live sessions with
 * {@code not-authorized} (and only them): through the store itself, and through another process's change to the
 * account file (what {@code deluser} does), seen on the store's next reload.
 */
class AccountRemovalTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start().account("alice", "wonderland").account("bob", "builder");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void removingAnAccountEndsItsSessionsAndNoOneElses() {
        XmppConnection alice = connect("alice", "wonderland");
        XmppConnection bob = connect("bob", "builder");
        try {
            server.store.remove(BareJid.of("alice", "localhost"));
            assertEndedAsDeleted(alice);
            // Bob is untouched: he still reaches himself through the server.
            var echo = bob.inbound().ofType(Message.class).next().toFuture();
            bob.send(Message.builder().to(bob.jid()).type(Message.Type.CHAT).body("still here").build())
                    .block(TIMEOUT);
            assertThat(echo.join().body()).isEqualTo("still here");
        } finally {
            bob.close().block(TIMEOUT);
        }
    }

    @Test
    void anotherProcessRemovingTheAccountEndsItsSessionsOnTheNextReload() {
        XmppConnection alice = connect("alice", "wonderland");
        // Another store on the same file stands for the deluser command in another process.
        FileCredentialStore.open(server.store.file()).remove(BareJid.of("alice", "localhost"));
        server.store.reload();
        assertEndedAsDeleted(alice);
    }

    private static void assertEndedAsDeleted(XmppConnection connection) {
        // A lasting error: the client, though it reconnects after failures, does not come back.
        StepVerifier.create(connection.onClose())
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(StreamErrorException.class);
                    assertThat(((StreamErrorException) e).condition()).isEqualTo(StreamError.Condition.NOT_AUTHORIZED);
                    assertThat(((StreamErrorException) e).error().text()).isEqualTo("account deleted");
                })
                .verify(TIMEOUT);
    }

    private XmppConnection connect(String user, String password) {
        XmppConnection c = XmppClient.create().jid(user + "@localhost/removal").password(password)
                .host("127.0.0.1").port(server.port())
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1))
                .secure(tls -> tls.trustManager(TestServer.trustManager()))
                .connect().block(TIMEOUT);
        assertThat(c).isNotNull();
        return c;
    }
}
