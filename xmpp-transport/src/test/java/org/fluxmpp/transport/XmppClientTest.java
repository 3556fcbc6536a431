package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import org.fluxmpp.router.StanzaRoutes;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.transport.internal.client.TestDnsServer;
import org.fluxmpp.transport.sasl.SaslCondition;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@link XmppClient} against Fluxmpp's own server: real sockets, real TLS, real SASL. */
class XmppClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final XmlElement PING = XmlElement.empty("urn:xmpp:ping", "ping");

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(s -> s.directTlsPort(0)).account("alice", "wonderland").account("bob", "builder");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XmppClient client(String jid, String password) {
        return XmppClient.create().jid(jid).password(password)
                .host("127.0.0.1").port(server.port())
                .secure(tls -> tls.trustManager(TestServer.trustManager()));
    }

    private static XmppConnection connect(XmppClient client) {
        XmppConnection c = client.connect().block(TIMEOUT);
        assertThat(c).isNotNull();
        return c;
    }

    @Test
    void logsInOverStartTlsWithTheStrongestMechanismAndBinds() {
        XmppConnection alice = connect(client("alice@localhost/phone", "wonderland"));
        try {
            assertThat(alice.jid().toString()).isEqualTo("alice@localhost/phone");
            assertThat(alice.isSecure()).isTrue();
            // Both sides offer it; without the JDK 25 engine on both ends the binding is tls-server-end-point.
            assertThat(alice.saslMechanism()).isEqualTo(SaslMechanism.SCRAM_SHA_512_PLUS);
            assertThat(alice.channelBinding()).isEqualTo("tls-server-end-point");
            StepVerifier.create(alice.states().take(1)).expectNext(ConnectionState.ONLINE).verifyComplete();
        } finally {
            alice.close().block(TIMEOUT);
        }
        StepVerifier.create(alice.states()).expectNext(ConnectionState.CLOSED).verifyComplete();
        StepVerifier.create(alice.onClose()).verifyComplete();
    }

    @Test
    void eachMechanismTheClientAllowsWorks() {
        for (SaslMechanism m : List.of(SaslMechanism.SCRAM_SHA_1, SaslMechanism.SCRAM_SHA_256,
                SaslMechanism.SCRAM_SHA_512, SaslMechanism.SCRAM_SHA_1_PLUS, SaslMechanism.SCRAM_SHA_256_PLUS,
                SaslMechanism.PLAIN)) {
            XmppConnection c = connect(client("bob@localhost", "builder").mechanisms(m));
            try {
                assertThat(c.saslMechanism()).isEqualTo(m);
                assertThat(c.jid().asBareJid().toString()).isEqualTo("bob@localhost");
            } finally {
                c.close().block(TIMEOUT);
            }
        }
    }

    @Test
    void directTlsTrustingAPemFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path pem = dir.resolve("cert.pem");
        java.nio.file.Files.writeString(pem, TestServer.certificatePem());
        XmppConnection c = connect(XmppClient.create().jid("alice@localhost").password("wonderland")
                .host("127.0.0.1").port(server.server.directTlsPort()).directTls(true)
                .secure(tls -> tls.trustCertificates(pem)));
        try {
            assertThat(c.isSecure()).isTrue();
        } finally {
            c.close().block(TIMEOUT);
        }
    }

    @Test
    void findsTheServerThroughDnsSrvRecords() throws Exception {
        // The direct TLS record comes first at equal priority (XEP-0368); a dead STARTTLS target is tried last.
        try (TestDnsServer dns = new TestDnsServer()
                .srv("_xmpps-client._tcp.localhost", new TestDnsServer.Srv(10, 0, server.server.directTlsPort(),
                        "localhost"))
                .srv("_xmpp-client._tcp.localhost", new TestDnsServer.Srv(20, 0, 1, "localhost"))) {
            XmppConnection c = connect(XmppClient.create().jid("alice@localhost").password("wonderland")
                    .dnsServers(dns.address()).secure(tls -> tls.trustManager(TestServer.trustManager())));
            try {
                assertThat(c.isSecure()).isTrue();
            } finally {
                c.close().block(TIMEOUT);
            }
        }
    }

    @Test
    void twoClientsExchangeMessagesAndIqs() {
        XmppConnection alice = connect(client("alice@localhost/a", "wonderland"));
        // Bob answers pings through a route built with the router's DSL, the same one a server uses.
        XmppConnection bob = connect(client("bob@localhost/b", "builder").route(StanzaRoutes.route()
                .iqGet("urn:xmpp:ping", "ping", (iq, session) -> Mono.just(iq.result()))
                .build()));
        try {
            List<Message> atBob = new CopyOnWriteArrayList<>();
            bob.inbound().ofType(Message.class).subscribe(atBob::add);
            StepVerifier.create(alice.send(Flux.range(0, 100).map(i -> Message.builder().to("bob@localhost/b")
                    .type(Message.Type.CHAT).body("m" + i).build()))).verifyComplete();
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> atBob.size() == 100);
            assertThat(atBob).extracting(Message::body).containsExactlyElementsOf(
                    Flux.range(0, 100).map(i -> "m" + i).collectList().block());
            assertThat(atBob.get(0).from()).isEqualTo(alice.jid());

            // An IQ to bob, answered by bob's route; one nobody handles is answered service-unavailable.
            StepVerifier.create(alice.request(Iq.get(PING).to("bob@localhost/b").id(alice.nextId()).build()))
                    .assertNext(r -> assertThat(r.from()).isEqualTo(bob.jid()))
                    .verifyComplete();
            StepVerifier.create(alice.request(Iq.get(XmlElement.empty("urn:example", "q")).to("bob@localhost/b")
                            .id(alice.nextId()).build()))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(StanzaErrorException.class,
                            se -> assertThat(se.error().condition())
                                    .isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE)));
            // The server answers its own ping (XEP-0199), correlated by id and sender.
            StepVerifier.create(alice.request(Iq.get(PING).to("localhost").id(alice.nextId()).build()))
                    .assertNext(r -> assertThat(r.type()).isEqualTo(Iq.Type.RESULT))
                    .verifyComplete();
        } finally {
            alice.close().block(TIMEOUT);
            bob.close().block(TIMEOUT);
        }
    }

    @Test
    void slowSubscribersPushBackWithoutLossAndWithoutSubscribersTheStreamGoesOn() {
        XmppConnection alice = connect(client("alice@localhost/a2", "wonderland"));
        XmppConnection bob = connect(client("bob@localhost/b2", "builder").inboundCapacity(4));
        try {
            // Nobody subscribed: the message is dropped, and the stream still reads (the ping's answer arrives).
            alice.send(Message.builder().to("bob@localhost/b2").body("early").build()).block(TIMEOUT);
            StepVerifier.create(bob.request(Iq.get(PING).to("localhost").id(bob.nextId()).build()))
                    .expectNextCount(1).verifyComplete();

            // A subscriber that asks for nothing yet: 4 wait in the buffer, the rest wait in TCP; none is lost.
            List<String> expected = Flux.range(0, 50).map(i -> "m" + i).collectList().block();
            StepVerifier.create(bob.inbound().ofType(Message.class).map(Message::body), 0)
                    .then(() -> alice.send(Flux.fromIterable(expected).map(b -> Message.builder()
                            .to("bob@localhost/b2").body(b).build())).block(TIMEOUT))
                    .thenAwait(Duration.ofMillis(300))
                    .thenRequest(50)
                    .expectNextSequence(expected)
                    .thenCancel()
                    .verify(TIMEOUT);
        } finally {
            alice.close().block(TIMEOUT);
            bob.close().block(TIMEOUT);
        }
    }

    @Test
    void wrongPasswordFailsWithSaslFailure() {
        StepVerifier.create(client("alice@localhost", "wrong").connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SaslFailureException.class,
                        f -> assertThat(f.condition()).isEqualTo(SaslCondition.NOT_AUTHORIZED)))
                .verify(TIMEOUT);
    }

    @Test
    void anUntrustedCertificateFailsTheConnection() {
        // The JDK's trust store does not know the server's self-signed certificate.
        StepVerifier.create(XmppClient.create().jid("alice@localhost").password("wonderland")
                        .host("127.0.0.1").port(server.port()).connect())
                .expectError(SSLException.class)
                .verify(TIMEOUT);
    }

    @Test
    void aCertificateForAnotherNameFailsTheConnection() {
        ServerTls other = ServerTls.selfSigned("other.example");
        try (TestServer wrongName = TestServer.start(s -> s.secure(other))) {
            StepVerifier.create(XmppClient.create().jid("alice@localhost").password("wonderland")
                            .host("127.0.0.1").port(wrongName.port())
                            .secure(tls -> tls.trustCertificates(other.certificate())).connect())
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SSLException.class))
                    .verify(TIMEOUT);
        }
    }

    @Test
    void aServerWithoutTlsIsRefusedUnlessPlaintextIsAsked() {
        try (TestServer clear = TestServer.start(s -> s.tlsRequired(false).authentication(sasl -> sasl
                .mechanism(SaslMechanism.SCRAM_SHA_256).credentials(server.store)))) {
            XmppClient c = XmppClient.create().jid("alice@localhost").password("wonderland")
                    .host("127.0.0.1").port(clear.port()).secure(tls -> tls.trustManager(TestServer.trustManager()));
            // This server offers STARTTLS without requiring it: the client takes it, as it must.
            XmppConnection secure = connect(c);
            assertThat(secure.isSecure()).isTrue();
            secure.close().block(TIMEOUT);
            XmppConnection plain = connect(c.plaintext());
            assertThat(plain.isSecure()).isFalse();
            assertThat(plain.saslMechanism()).isEqualTo(SaslMechanism.SCRAM_SHA_256);
            plain.close().block(TIMEOUT);
        }
    }

    @Test
    void aStreamErrorMidStreamEndsTheConnectionWithItsCondition() {
        XmppConnection first = connect(client("alice@localhost/same", "wonderland"));
        // A second login with the same resource replaces the first, which gets <conflict/> (RFC 6120 7.7.2.2).
        XmppConnection second = connect(client("alice@localhost/same", "wonderland")
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1)));
        try {
            StepVerifier.create(first.onClose())
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(StreamErrorException.class,
                            se -> assertThat(se.condition()).isEqualTo(StreamError.Condition.CONFLICT)))
                    .verify(TIMEOUT);
            StepVerifier.create(first.states()).expectNext(ConnectionState.CLOSED).verifyComplete();
        } finally {
            second.close().block(TIMEOUT);
        }
    }

    @Test
    void closingWhileReconnectingStopsTheRetriesAtOnce() {
        TestServer gone = TestServer.start().account("erin", "e-pw");
        XmppConnection erin = connect(XmppClient.create().jid("erin@localhost").password("e-pw")
                .host("127.0.0.1").port(gone.port()).secure(tls -> tls.trustManager(TestServer.trustManager()))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(200)));
        List<ConnectionState> seen = new CopyOnWriteArrayList<>();
        erin.states().subscribe(seen::add);
        gone.close();
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> seen.contains(ConnectionState.RECONNECTING));
        StepVerifier.create(erin.send(Message.builder().to("x@localhost").body("b").build()))
                .expectError(IllegalStateException.class).verify(TIMEOUT);

        // No closing handshake to wait for on a dead stream: close() returns well within the 5 s grace.
        StepVerifier.create(erin.close()).expectComplete().verify(Duration.ofSeconds(2));
        assertThat(seen).endsWith(ConnectionState.CLOSED);
    }

    @Test
    void reconnectsAfterTheConnectionIsLostAndSendsThePresenceAgain() {
        TestServer restartable = TestServer.start().account("carol", "c-pw").account("dave", "d-pw");
        int port = restartable.port();
        XmppConnection carol = connect(XmppClient.create().jid("carol@localhost/r").password("c-pw")
                .host("127.0.0.1").port(port).secure(tls -> tls.trustManager(TestServer.trustManager()))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(500)));
        List<ConnectionState> seen = new CopyOnWriteArrayList<>();
        carol.states().subscribe(seen::add);
        StepVerifier.create(carol.send(Presence.builder().build())).verifyComplete();
        restartable.close();
        // The new server records the presences it receives, to see the client's last one come again.
        List<Presence> presences = new CopyOnWriteArrayList<>();
        TestServer again = TestServer.start(s -> s.port(port).router(org.fluxmpp.router.XmppRouter.create()
                        .domain(TestServer.DOMAIN)
                        .route(org.fluxmpp.router.Routes.presence((p, session) -> {
                            presences.add(p);
                            return Mono.empty();
                        }))))
                .account("carol", "c-pw").account("dave", "d-pw");
        try {
            org.awaitility.Awaitility.await().atMost(TIMEOUT)
                    .until(() -> seen.size() >= 3 && seen.get(seen.size() - 1) == ConnectionState.ONLINE);
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> !presences.isEmpty());
            assertThat(presences.get(0).from()).as("the available presence, sent again after the reconnection")
                    .isEqualTo(carol.jid());
            assertThat(presences.get(0).typeAttribute()).isNull();
            assertThat(seen).containsSubsequence(ConnectionState.ONLINE, ConnectionState.RECONNECTING,
                    ConnectionState.ONLINE);
            assertThat(carol.jid().resourcepart()).isEqualTo("r");
            // Online again: messages flow.
            XmppConnection dave = connect(XmppClient.create().jid("dave@localhost").password("d-pw")
                    .host("127.0.0.1").port(port).secure(tls -> tls.trustManager(TestServer.trustManager())));
            List<Message> atCarol = new CopyOnWriteArrayList<>();
            carol.inbound().ofType(Message.class).subscribe(atCarol::add);
            dave.send(Message.builder().to("carol@localhost/r").body("back?").build()).block(TIMEOUT);
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> atCarol.size() == 1);
            dave.close().block(TIMEOUT);
        } finally {
            carol.close().block(TIMEOUT);
            again.close();
        }
    }
}
