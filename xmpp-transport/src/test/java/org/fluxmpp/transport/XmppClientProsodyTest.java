package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * {@link XmppClient} against Prosody 0.12, a real server from Debian's packages: SCRAM-SHA-1 and PLAIN over
 * STARTTLS (what Prosody's hashed store offers), messages between two Fluxmpp clients through Prosody, an IQ
 * correlated with its response, and a reconnection when Prosody is stopped and started again.
 */
class XmppClientProsodyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Prosody prosody;

    @BeforeAll
    static void start() throws Exception {
        Peers.ensureProsody();
        prosody = Prosody.create().register("alice", "wonderland").register("bob", "builder").start();
    }

    @AfterAll
    static void stop() {
        if (prosody != null) {
            prosody.close();
        }
    }

    private static XmppClient client(String jid, String password) {
        return XmppClient.create().jid(jid).password(password)
                .host("127.0.0.1").port(prosody.port())
                .secure(tls -> tls.trustCertificates(prosody.certificate()));
    }

    private static XmppConnection connect(XmppClient client) {
        XmppConnection c = client.connect().block(TIMEOUT);
        assertThat(c).isNotNull();
        return c;
    }

    @Test
    void logsInWithScramSha1AndPlainAndChatsThroughProsody() {
        XmppConnection alice = connect(client("alice@localhost/phone", "wonderland"));
        XmppConnection bob = connect(client("bob@localhost/laptop", "builder").mechanisms(SaslMechanism.PLAIN));
        try {
            assertThat(alice.isSecure()).isTrue();
            assertThat(alice.saslMechanism()).isEqualTo(SaslMechanism.SCRAM_SHA_1);
            assertThat(bob.saslMechanism()).isEqualTo(SaslMechanism.PLAIN);
            assertThat(alice.jid().toString()).isEqualTo("alice@localhost/phone");

            List<Message> atBob = new CopyOnWriteArrayList<>();
            List<Message> atAlice = new CopyOnWriteArrayList<>();
            bob.inbound().ofType(Message.class).subscribe(atBob::add);
            alice.inbound().ofType(Message.class).subscribe(atAlice::add);
            StepVerifier.create(alice.send(Flux.range(0, 20).map(i -> Message.builder().to("bob@localhost/laptop")
                    .type(Message.Type.CHAT).body("m" + i).build()))).verifyComplete();
            bob.send(Message.builder().to("alice@localhost/phone").type(Message.Type.CHAT).body("back").build())
                    .block(TIMEOUT);
            Awaitility.await().atMost(TIMEOUT).until(() -> atBob.size() == 20 && atAlice.size() == 1);
            assertThat(atBob).extracting(Message::body).containsExactlyElementsOf(
                    Flux.range(0, 20).map(i -> "m" + i).collectList().block());
            assertThat(atBob.get(0).from()).isEqualTo(alice.jid());
            assertThat(atAlice.get(0).body()).isEqualTo("back");

            // XEP-0199 ping to Prosody, matched by id and sender.
            StepVerifier.create(alice.request(Iq.get(XmlElement.empty("urn:xmpp:ping", "ping")).to("localhost")
                            .id(alice.nextId()).build()))
                    .assertNext(pong -> assertThat(pong.type()).isEqualTo(Iq.Type.RESULT))
                    .verifyComplete();
        } finally {
            alice.close().block(TIMEOUT);
            bob.close().block(TIMEOUT);
        }
    }

    @Test
    void reconnectsWhenProsodyIsStoppedAndStartedAgain() {
        XmppConnection alice = connect(client("alice@localhost/survivor", "wonderland")
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1)));
        List<ConnectionState> seen = new CopyOnWriteArrayList<>();
        alice.states().subscribe(seen::add);
        try {
            prosody.stop();
            Awaitility.await().atMost(TIMEOUT).until(() -> seen.contains(ConnectionState.RECONNECTING));
            prosody.start();
            Awaitility.await().atMost(TIMEOUT).until(() -> seen.get(seen.size() - 1) == ConnectionState.ONLINE
                    && seen.size() >= 3);
            assertThat(seen).containsSubsequence(ConnectionState.ONLINE, ConnectionState.RECONNECTING,
                    ConnectionState.ONLINE);
            assertThat(alice.jid().toString()).isEqualTo("alice@localhost/survivor");

            XmppConnection bob = connect(client("bob@localhost/b", "builder"));
            List<Message> atAlice = new CopyOnWriteArrayList<>();
            alice.inbound().ofType(Message.class).subscribe(atAlice::add);
            bob.send(Message.builder().to("alice@localhost/survivor").body("welcome back").build()).block(TIMEOUT);
            Awaitility.await().atMost(TIMEOUT).until(() -> atAlice.size() == 1);
            bob.close().block(TIMEOUT);
        } finally {
            if (!prosody.isRunning()) {
                prosody.start();
            }
            alice.close().block(TIMEOUT);
        }
    }
}
