package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The server's Micrometer meters, read from a registry while real clients ({@link XmppClient} over STARTTLS, a raw
 * socket for bad input) log in, chat, fail and misbehave.
 */
class ServerMetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(s -> s.meterRegistry(registry)).account("alice", "pw").account("bob", "builder");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void countsSessionsStanzasAndLoginsByMechanism() {
        XmppConnection alice = connect("alice", "pw", SaslMechanism.SCRAM_SHA_256);
        XmppConnection bob = connect("bob", "builder", SaslMechanism.SCRAM_SHA_1);
        try {
            assertThat(gauge("xmpp.server.sessions", "transport", "tcp")).isEqualTo(2);
            assertThat(gauge("xmpp.server.connections", "transport", "tcp")).isEqualTo(2);
            assertThat(gauge("xmpp.server.sessions", "transport", "websocket")).isZero();
            assertThat(logins("SCRAM-SHA-256", "success")).isEqualTo(1);
            assertThat(logins("SCRAM-SHA-1", "success")).isEqualTo(1);

            double messagesIn = stanzas("in", "message");
            double messagesOut = stanzas("out", "message");
            var received = bob.inbound().ofType(Message.class).next().toFuture();
            alice.send(Message.builder().to(bob.jid()).type(Message.Type.CHAT).body("hi").build()).block(TIMEOUT);
            assertThat(received.join().body()).isEqualTo("hi");
            assertThat(stanzas("in", "message")).isEqualTo(messagesIn + 1);
            await().atMost(TIMEOUT).until(() -> stanzas("out", "message") == messagesOut + 1);

            // An IQ to a resource that does not exist bounces service-unavailable (RFC 6120 10.5.4).
            Iq ping = Iq.get(XmlElement.empty("urn:xmpp:ping", "ping")).to("bob@localhost/nowhere").id("p1").build();
            assertThatThrownBy(() -> alice.request(ping).block(TIMEOUT)).isInstanceOf(StanzaErrorException.class);
            assertThat(registry.get("xmpp.server.stanza.errors")
                    .tags("direction", "out", "condition", "service-unavailable").counter().count()).isEqualTo(1);
        } finally {
            alice.close().block(TIMEOUT);
            bob.close().block(TIMEOUT);
        }
        await().atMost(TIMEOUT).until(() -> gauge("xmpp.server.connections", "transport", "tcp") == 0);
        assertThat(gauge("xmpp.server.sessions", "transport", "tcp")).isZero();
    }

    @Test
    void countsFailedLoginsByMechanismAndCondition() {
        assertThatThrownBy(() -> connect("alice", "wrong", SaslMechanism.SCRAM_SHA_512))
                .isInstanceOf(SaslFailureException.class);
        assertThat(registry.get("xmpp.server.logins")
                .tags("mechanism", "SCRAM-SHA-512", "outcome", "failure", "condition", "not-authorized")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void countsStreamErrorsByCondition() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' to='elsewhere.example' version='1.0'>");
            raw.await("error");
        }
        assertThat(registry.get("xmpp.server.stream.errors").tags("condition", "host-unknown").counter().count())
                .isEqualTo(1);
    }

    @Test
    void theOutboundQueueGaugeCountsStanzasWaitingForAReaderThatStopped() throws Exception {
        assertThat(registry.get("xmpp.server.outbound.queued").gauge().value()).isZero();
        try (RawClient slow = new RawClient(server.port())) {
            slow.login("bob", "builder", "slow");
            // Bob reads no more: once the sockets' buffers are full, what Alice sends waits in Bob's queue.
            XmppConnection alice = connect("alice", "pw", SaslMechanism.SCRAM_SHA_1);
            try {
                String body = "x".repeat(60_000);
                alice.send(Flux.range(0, 400).map(i -> Message.builder().to("bob@localhost/slow")
                        .type(Message.Type.CHAT).body(body).build())).subscribe(null, e -> { });
                await().atMost(TIMEOUT).until(() -> registry.get("xmpp.server.outbound.queued").gauge().value() > 0);
            } finally {
                alice.close().block(TIMEOUT);
            }
        }
        await().atMost(TIMEOUT).until(() -> registry.get("xmpp.server.outbound.queued").gauge().value() == 0);
    }

    private XmppConnection connect(String user, String password, SaslMechanism mechanism) {
        return XmppClient.create().jid(user + "@localhost/metrics").password(password)
                .host("127.0.0.1").port(server.port())
                .mechanisms(mechanism)
                .secure(tls -> tls.trustManager(TestServer.trustManager()))
                .connect().block(TIMEOUT);
    }

    private double gauge(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).gauge().value();
    }

    private double stanzas(String direction, String kind) {
        return registry.get("xmpp.server.stanzas").tags("direction", direction, "kind", kind).counter().count();
    }

    private double logins(String mechanism, String outcome) {
        return registry.get("xmpp.server.logins").tags("mechanism", mechanism, "outcome", outcome).counter().count();
    }
}
