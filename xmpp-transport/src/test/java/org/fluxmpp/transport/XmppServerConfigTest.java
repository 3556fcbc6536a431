package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.routing.StanzaRouter;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The server's immutable configuration, its checks, and the SASL settings. */
class XmppServerConfigTest {

    private static final CredentialStore NO_ACCOUNTS = account -> Mono.empty();

    /** A router that accepts everything (no server is bound in these tests). */
    private static final StanzaRouter ROUTER = new StanzaRouter() {
        @Override
        public Mono<Void> bind(XmppSession session) {
            return Mono.empty();
        }

        @Override
        public void unbind(XmppSession session) {
        }

        @Override
        public Mono<Void> route(Stanza stanza, XmppSession sender) {
            return Mono.empty();
        }

        @Override
        public void undeliverable(Stanza stanza, XmppSession session) {
        }
    };

    private static ServerTls tls;

    @BeforeAll
    static void certificate() {
        tls = ServerTls.selfSigned("example.com");
    }

    // ---- XmppServer -------------------------------------------------------------------------------------------

    @Test
    void defaults() {
        XmppServer server = XmppServer.create();

        assertThat(server.port()).isEqualTo(5222).isEqualTo(XmppServer.DEFAULT_PORT);
        assertThat(server.tlsRequired()).isTrue();
        assertThat(server.negotiationTimeout()).isEqualTo(Duration.ofSeconds(60))
                .isEqualTo(XmppServer.DEFAULT_NEGOTIATION_TIMEOUT);
        assertThat(server.outboundCapacity()).isEqualTo(1000).isEqualTo(XmppServer.DEFAULT_OUTBOUND_CAPACITY);
        assertThat(server.domains()).isEmpty();
        assertThat(server.tls()).isNull();
        assertThat(server.router()).isNull();
        assertThat(server.limits()).isEqualTo(DecoderLimits.defaults());
        assertThat(server.sasl().credentials()).isNull();
        assertThat(server.sasl().maxAttempts()).isEqualTo(ServerSasl.DEFAULT_MAX_ATTEMPTS).isEqualTo(3);
        assertThat(server.sasl().mechanisms()).containsExactly(SaslMechanism.SCRAM_SHA_512_PLUS,
                SaslMechanism.SCRAM_SHA_256_PLUS, SaslMechanism.SCRAM_SHA_1_PLUS, SaslMechanism.SCRAM_SHA_512,
                SaslMechanism.SCRAM_SHA_256, SaslMechanism.SCRAM_SHA_1, SaslMechanism.PLAIN);
    }

    @Test
    void everySetterReturnsANewInstanceAndLeavesTheOriginalUnchanged() {
        XmppServer base = XmppServer.create();
        DecoderLimits limits = DecoderLimits.defaults().withMaxDepth(8);

        List<UnaryOperator<XmppServer>> setters = List.of(
                s -> s.domain("example.com"),
                s -> s.host("127.0.0.1"),
                s -> s.port(5223),
                s -> s.secure(tls),
                s -> s.tlsRequired(false),
                s -> s.authentication(sasl -> sasl.credentials(NO_ACCOUNTS).maxAttempts(5)),
                s -> s.router(ROUTER),
                s -> s.limits(limits),
                s -> s.negotiationTimeout(Duration.ofSeconds(5)),
                s -> s.outboundCapacity(7));
        for (UnaryOperator<XmppServer> setter : setters) {
            XmppServer changed = setter.apply(base);
            assertThat(changed).isNotSameAs(base);
            assertDefaults(base);
        }

        XmppServer all = base;
        for (UnaryOperator<XmppServer> setter : setters) {
            all = setter.apply(all);
        }
        assertDefaults(base);
        assertThat(all.domains()).containsExactly("example.com");
        assertThat(all.port()).isEqualTo(5223);
        assertThat(all.tls()).isSameAs(tls);
        assertThat(all.tlsRequired()).isFalse();
        assertThat(all.sasl().credentials()).isSameAs(NO_ACCOUNTS);
        assertThat(all.sasl().maxAttempts()).isEqualTo(5);
        assertThat(all.router()).isSameAs(ROUTER);
        assertThat(all.limits()).isEqualTo(limits);
        assertThat(all.negotiationTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(all.outboundCapacity()).isEqualTo(7);
    }

    @Test
    void aDerivedConfigurationIsNotChangedByDerivingAnother() {
        XmppServer a = XmppServer.create().domain("a.example");
        XmppServer b = a.domain("b.example").port(1);

        assertThat(a.domains()).containsExactly("a.example");
        assertThat(a.port()).isEqualTo(5222);
        assertThat(b.domains()).containsExactly("a.example", "b.example");
        assertThatThrownBy(() -> b.domains().add("c.example")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static void assertDefaults(XmppServer s) {
        assertThat(s.domains()).isEmpty();
        assertThat(s.port()).isEqualTo(XmppServer.DEFAULT_PORT);
        assertThat(s.tls()).isNull();
        assertThat(s.tlsRequired()).isTrue();
        assertThat(s.sasl().credentials()).isNull();
        assertThat(s.sasl().maxAttempts()).isEqualTo(ServerSasl.DEFAULT_MAX_ATTEMPTS);
        assertThat(s.router()).isNull();
        assertThat(s.limits()).isEqualTo(DecoderLimits.defaults());
        assertThat(s.negotiationTimeout()).isEqualTo(XmppServer.DEFAULT_NEGOTIATION_TIMEOUT);
        assertThat(s.outboundCapacity()).isEqualTo(XmppServer.DEFAULT_OUTBOUND_CAPACITY);
    }

    @Test
    void webSocketIsOffByDefaultAndChecksPortAndPath() {
        XmppServer server = XmppServer.create();
        assertThat(server.webSocketPort()).isEqualTo(-1);
        assertThat(server.webSocketPath()).isEqualTo("/xmpp-websocket").isEqualTo(XmppServer.DEFAULT_WEBSOCKET_PATH);
        XmppServer ws = server.webSocketPort(5280).webSocketPath("/ws");
        assertThat(ws.webSocketPort()).isEqualTo(5280);
        assertThat(ws.webSocketPath()).isEqualTo("/ws");
        assertThat(ws.port()).isEqualTo(5222);
        assertThatThrownBy(() -> server.webSocketPort(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.webSocketPath("ws")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void portRange() {
        assertThat(XmppServer.create().port(0).port()).isZero();
        assertThat(XmppServer.create().port(65535).port()).isEqualTo(65535);
        assertThatThrownBy(() -> XmppServer.create().port(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmppServer.create().port(65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeoutAndCapacityMustBePositive() {
        assertThatThrownBy(() -> XmppServer.create().negotiationTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmppServer.create().negotiationTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmppServer.create().outboundCapacity(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmppServer.create().outboundCapacity(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(XmppServer.create().negotiationTimeout(Duration.ofMillis(1)).negotiationTimeout())
                .isEqualTo(Duration.ofMillis(1));
        assertThat(XmppServer.create().outboundCapacity(1).outboundCapacity()).isEqualTo(1);
    }

    @Test
    void nullArgumentsAreRejected() {
        XmppServer s = XmppServer.create();
        List<Function<XmppServer, XmppServer>> calls = List.of(
                x -> x.host(null), x -> x.secure(null), x -> x.router(null), x -> x.limits(null),
                x -> x.authentication(sasl -> null));
        for (Function<XmppServer, XmppServer> call : calls) {
            assertThatThrownBy(() -> call.apply(s)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void domainIsNormalisedAndDeduplicated() {
        XmppServer s = XmppServer.create().domain("EXAMPLE.com");

        assertThat(s.domains()).containsExactly("example.com");
        assertThat(s.domain("example.COM").domains()).containsExactly("example.com");
        assertThat(s.domain("other.example").domains()).containsExactly("example.com", "other.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "exa mple.com", "user@example.com", "example.com/resource", "a..b"})
    void invalidDomainIsRejected(String domain) {
        assertThatThrownBy(() -> XmppServer.create().domain(domain)).isInstanceOf(JidFormatException.class)
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindWithoutDomainSignalsIllegalState() {
        XmppServer s = XmppServer.create().router(ROUTER).authentication(sasl -> sasl.credentials(NO_ACCOUNTS))
                .secure(tls);

        assertBindFails(s, "no domain");
    }

    @Test
    void bindWithoutRouterSignalsIllegalState() {
        XmppServer s = XmppServer.create().domain("example.com")
                .authentication(sasl -> sasl.credentials(NO_ACCOUNTS)).secure(tls);

        assertBindFails(s, "no router");
    }

    @Test
    void bindWithoutCredentialStoreSignalsIllegalState() {
        XmppServer s = XmppServer.create().domain("example.com").router(ROUTER).secure(tls);

        assertBindFails(s, "no credential store");
    }

    @Test
    void bindRequiringTlsWithoutCertificateSignalsIllegalState() {
        XmppServer s = XmppServer.create().domain("example.com").router(ROUTER)
                .authentication(sasl -> sasl.credentials(NO_ACCOUNTS));

        assertBindFails(s, "TLS is required but no certificate");
    }

    @Test
    void bindNowThrowsTheSameIllegalState() {
        assertThatThrownBy(() -> XmppServer.create().bindNow()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no domain");
    }

    private static void assertBindFails(XmppServer s, String missing) {
        // The check runs on subscription: bind() itself returns a Mono that signals the error.
        Mono<?> bind = s.bind();
        assertThatCode(() -> s.bind()).doesNotThrowAnyException();
        StepVerifier.create(bind)
                .expectErrorMatches(e -> e instanceof IllegalStateException && e.getMessage().contains(missing))
                .verify(Duration.ofSeconds(10));
    }

    // ---- ServerSasl -------------------------------------------------------------------------------------------

    @Test
    void saslDefaultsOfferEveryMechanismStrongestFirst() {
        assertThat(ServerSasl.DEFAULT.mechanisms()).containsExactly(SaslMechanism.SCRAM_SHA_512_PLUS,
                SaslMechanism.SCRAM_SHA_256_PLUS, SaslMechanism.SCRAM_SHA_1_PLUS, SaslMechanism.SCRAM_SHA_512,
                SaslMechanism.SCRAM_SHA_256, SaslMechanism.SCRAM_SHA_1, SaslMechanism.PLAIN);
        assertThat(ServerSasl.DEFAULT.mechanisms()).extracting(SaslMechanism::mechanismName)
                .containsExactly("SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-512",
                        "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
        // ANONYMOUS only when asked for.
        assertThat(ServerSasl.DEFAULT.mechanisms()).doesNotContain(SaslMechanism.ANONYMOUS);
    }

    @Test
    void namedMechanismsKeepTheOrderGiven() {
        assertThat(ServerSasl.DEFAULT.plain().scramSha1().scramSha512().mechanisms())
                .containsExactly(SaslMechanism.PLAIN, SaslMechanism.SCRAM_SHA_1, SaslMechanism.SCRAM_SHA_512);
        assertThat(ServerSasl.DEFAULT.scramSha256().mechanisms()).containsExactly(SaslMechanism.SCRAM_SHA_256);
        assertThat(ServerSasl.DEFAULT.scramSha256().scramSha1().scramSha256().mechanisms())
                .as("a repeated mechanism keeps its first place")
                .containsExactly(SaslMechanism.SCRAM_SHA_256, SaslMechanism.SCRAM_SHA_1);
        assertThat(ServerSasl.DEFAULT.mechanism(SaslMechanism.SCRAM_SHA_1).mechanisms())
                .containsExactly(SaslMechanism.SCRAM_SHA_1);
    }

    @Test
    void saslSettingsAreImmutable() {
        ServerSasl base = ServerSasl.DEFAULT;
        ServerSasl named = base.scramSha1();
        ServerSasl withStore = named.credentials(NO_ACCOUNTS);
        ServerSasl withAttempts = withStore.maxAttempts(5);

        assertThat(base.mechanisms()).hasSize(7);
        assertThat(base.credentials()).isNull();
        assertThat(named.mechanisms()).containsExactly(SaslMechanism.SCRAM_SHA_1);
        assertThat(named.credentials()).isNull();
        assertThat(withStore.credentials()).isSameAs(NO_ACCOUNTS);
        assertThat(withStore.maxAttempts()).isEqualTo(3);
        assertThat(withAttempts.maxAttempts()).isEqualTo(5);
        assertThat(withAttempts.mechanisms()).containsExactly(SaslMechanism.SCRAM_SHA_1);
        assertThat(withAttempts.credentials()).isSameAs(NO_ACCOUNTS);
        named.plain();
        assertThat(named.mechanisms()).containsExactly(SaslMechanism.SCRAM_SHA_1);
        assertThatThrownBy(() -> named.mechanisms().add(SaslMechanism.PLAIN))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> base.mechanisms().add(SaslMechanism.PLAIN))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void maxAttemptsBelowOneIsRejected() {
        assertThatThrownBy(() -> ServerSasl.DEFAULT.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerSasl.DEFAULT.maxAttempts(-3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ServerSasl.DEFAULT.maxAttempts(1).maxAttempts()).isEqualTo(1);
    }

    @Test
    void saslNullArgumentsAreRejected() {
        assertThatThrownBy(() -> ServerSasl.DEFAULT.credentials(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ServerSasl.DEFAULT.mechanism(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void authenticationStartsFromTheCurrentSettings() {
        XmppServer s = XmppServer.create()
                .authentication(sasl -> sasl.scramSha256())
                .authentication(sasl -> sasl.credentials(NO_ACCOUNTS));

        assertThat(s.sasl().mechanisms()).containsExactly(SaslMechanism.SCRAM_SHA_256);
        assertThat(s.sasl().credentials()).isSameAs(NO_ACCOUNTS);
    }

    @Test
    void mechanismNames() {
        for (SaslMechanism m : SaslMechanism.values()) {
            assertThat(SaslMechanism.fromName(m.mechanismName())).isSameAs(m);
            boolean plus = m.mechanismName().endsWith("-PLUS");
            assertThat(m.channelBinding()).isEqualTo(plus);
            // PLAIN sends the password in clear, ANONYMOUS and -PLUS only make sense over TLS.
            assertThat(m.needsTls()).isEqualTo(plus || m == SaslMechanism.PLAIN || m == SaslMechanism.ANONYMOUS);
            assertThat(m.scramHash() == null).isEqualTo(m == SaslMechanism.PLAIN || m == SaslMechanism.ANONYMOUS);
            if (m.scramHash() != null) {
                assertThat(m.mechanismName()).startsWith(m.scramHash().mechanismName());
            }
        }
        assertThat(SaslMechanism.fromName("scram-sha-1")).isNull();
        assertThat(SaslMechanism.fromName("SCRAM-SHA-1-PLUS")).isSameAs(SaslMechanism.SCRAM_SHA_1_PLUS);
    }
}
