package org.fluxmpp.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.testing.SmackLogin;
import org.fluxmpp.testing.TrustedTls;
import org.fluxmpp.transport.XmppClient;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.transport.XmppConnection;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.fluxmpp.xml.XmlElement;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnection;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnectionConfiguration;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.websocket.XmppWebSocketTransportModuleDescriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.test.StepVerifier;

/**
 * The starter in a WebFlux application on HTTPS, driven by real clients: Smack over TCP (STARTTLS) and Smack's
 * WebSocket transport ({@code smack-websocket-java11}) over {@code wss} on the application's own port, the
 * application's {@link XmppClientLifecycle} connected at start-up, Micrometer meters and the Actuator health
 * indicator read over HTTPS.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FluxmppStarterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int XMPP_PORT = TestCertificates.freePort();
    private static SSLContext previousDefault;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.ssl.certificate", () -> "file:" + TestCertificates.CERTIFICATE);
        registry.add("server.ssl.certificate-private-key", () -> "file:" + TestCertificates.KEY);
        registry.add("management.endpoints.web.exposure.include", () -> "health,metrics");
        registry.add("management.endpoint.health.show-details", () -> "always");
        registry.add("fluxmpp.server.domains", () -> "localhost");
        registry.add("fluxmpp.server.host", () -> "127.0.0.1");
        registry.add("fluxmpp.server.port", () -> XMPP_PORT);
        registry.add("fluxmpp.server.tls.certificate", () -> TestCertificates.CERTIFICATE.toString());
        registry.add("fluxmpp.server.tls.private-key", () -> TestCertificates.KEY.toString());
        registry.add("fluxmpp.server.credentials.file", () -> TestCertificates.ACCOUNTS.toString());
        registry.add("fluxmpp.client.jid", () -> "bot@localhost/app");
        registry.add("fluxmpp.client.password", () -> "beep");
        registry.add("fluxmpp.client.host", () -> "127.0.0.1");
        registry.add("fluxmpp.client.port", () -> XMPP_PORT);
        registry.add("fluxmpp.client.trust-certificates", () -> TestCertificates.CERTIFICATE.toString());
    }

    @LocalServerPort
    int httpsPort;

    @Autowired
    XmppServerLifecycle server;

    @Autowired
    XmppClientLifecycle bot;

    @Autowired
    MeterRegistry registry;

    @BeforeAll
    static void trustTheTestCertificate() throws Exception {
        // Smack's Java 11 WebSocket builds its HttpClient from the default SSLContext, with no trust setting.
        previousDefault = SSLContext.getDefault();
        SSLContext.setDefault(TestCertificates.sslContext());
    }

    @AfterAll
    static void restoreTrust() {
        SSLContext.setDefault(previousDefault);
    }

    @Test
    void smackOverTheWebFluxPortChatsWithSmackOverTcpAndTheApplicationsClient() throws Exception {
        ModularXmppClientToServerConnection alice = webSocketClient("alice", "wonderland");
        XMPPTCPConnection bob = tcpClient("bob", "builder");
        try {
            alice.connect().login();
            assertThat(alice.getUser().toString()).isEqualTo("alice@localhost/web");
            assertThat(registry.get("xmpp.server.sessions").tag("transport", "websocket").gauge().value())
                    .isEqualTo(1);
            assertThat(registry.get("xmpp.server.logins").tags("mechanism", "SCRAM-SHA-1", "outcome", "success")
                    .counter().count()).isGreaterThanOrEqualTo(2);

            BlockingQueue<org.jivesoftware.smack.packet.Message> toBob = new ArrayBlockingQueue<>(10);
            BlockingQueue<org.jivesoftware.smack.packet.Message> toAlice = new ArrayBlockingQueue<>(10);
            bob.addAsyncStanzaListener(s -> toBob.add((org.jivesoftware.smack.packet.Message) s),
                    s -> s instanceof org.jivesoftware.smack.packet.Message);
            alice.addAsyncStanzaListener(s -> toAlice.add((org.jivesoftware.smack.packet.Message) s),
                    s -> s instanceof org.jivesoftware.smack.packet.Message);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from("bob@localhost/laptop")).setBody("Hello Bob").build());
            var atBob = toBob.poll(10, TimeUnit.SECONDS);
            assertThat(atBob).isNotNull();
            assertThat(atBob.getBody()).isEqualTo("Hello Bob");
            assertThat(atBob.getFrom().toString()).isEqualTo("alice@localhost/web");

            // The application's own client (fluxmpp.client.*) is online and reachable from the browser side.
            var atBot = bot.connection().inbound().ofType(Message.class).next().toFuture();
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from("bot@localhost/app")).setBody("Hello bot").build());
            assertThat(atBot.get(10, TimeUnit.SECONDS).body()).isEqualTo("Hello bot");
            bot.connection().send(Message.builder().to("alice@localhost/web").type(Message.Type.CHAT)
                    .body("beep").build()).block(TIMEOUT);
            var atAlice = toAlice.poll(10, TimeUnit.SECONDS);
            assertThat(atAlice).isNotNull();
            assertThat(atAlice.getBody()).isEqualTo("beep");
            assertThat(atAlice.getFrom().toString()).isEqualTo("bot@localhost/app");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
        await().atMost(TIMEOUT).until(() ->
                registry.get("xmpp.server.sessions").tag("transport", "websocket").gauge().value() == 0);
    }

    @Test
    void stanzaRoutesBeansAnswerOnTheServer() {
        XmppConnection carol = XmppClient.create().jid("alice@localhost/routes").password("wonderland")
                .host("127.0.0.1").port(XMPP_PORT)
                .secure(tls -> tls.trustManager(TestCertificates.trustManager()))
                .connect().block(TIMEOUT);
        assertThat(carol).isNotNull();
        try {
            Iq reply = carol.request(Iq.get(XmlElement.empty(TestApplication.NAMESPACE, "greeting"))
                    .to("localhost").id("g1").build()).block(TIMEOUT);
            assertThat(reply).isNotNull();
            assertThat(reply.payload()).isNotNull();
            assertThat(reply.payload().text()).isEqualTo("hello alice");
        } finally {
            carol.close().block(TIMEOUT);
        }
    }

    @Test
    void accountsChangedInTheFileReachTheRunningApplication() {
        // Another process (the demo server's adduser/deluser) changes the account file the application uses.
        BareJid dave = BareJid.of("dave", "localhost");
        FileCredentialStore.open(TestCertificates.ACCOUNTS).put(dave, Credentials.fromPassword("diver"));
        XmppConnection connection = await().atMost(TIMEOUT).until(() -> XmppClient.create()
                .jid("dave@localhost/files").password("diver").host("127.0.0.1").port(XMPP_PORT)
                .secure(tls -> tls.trustManager(TestCertificates.trustManager()))
                .connect().onErrorResume(e -> Mono.empty()).block(TIMEOUT), java.util.Objects::nonNull);

        FileCredentialStore.open(TestCertificates.ACCOUNTS).remove(dave);
        StepVerifier.create(connection.onClose())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StreamErrorException.class)
                        .hasMessageContaining("not-authorized"))
                .verify(TIMEOUT);
    }

    @Test
    void aHandshakeWithoutTheXmppSubProtocolIsRefusedWith400() {
        StepVerifier.create(https()
                        .websocket(WebsocketClientSpec.builder().protocols("chat").build())
                        .uri("wss://127.0.0.1:" + httpsPort + "/xmpp-websocket")
                        .handle((in, out) -> Mono.empty()))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("400"))
                .verify(TIMEOUT);
    }

    @Test
    void actuatorReportsHealthAndMetrics() {
        String health = https().get().uri("https://127.0.0.1:" + httpsPort + "/actuator/health/fluxmpp")
                .responseContent().aggregate().asString().block(TIMEOUT);
        assertThat(health).contains("\"status\":\"UP\"").contains("\"port\":" + XMPP_PORT)
                .contains("\"domains\":[\"localhost\"]");
        String metric = https().get().uri("https://127.0.0.1:" + httpsPort + "/actuator/metrics/xmpp.server.sessions")
                .responseContent().aggregate().asString().block(TIMEOUT);
        assertThat(metric).contains("\"name\":\"xmpp.server.sessions\"").contains("\"transport\"")
                .contains("websocket").contains("tcp");
        assertThat(server.server().streamCount()).isGreaterThanOrEqualTo(1); // the application's own client
    }

    private ModularXmppClientToServerConnection webSocketClient(String user, String password) throws Exception {
        ModularXmppClientToServerConnectionConfiguration.Builder b =
                ModularXmppClientToServerConnectionConfiguration.builder()
                        .setXmppDomain("localhost")
                        .setUsernameAndPassword(user, password)
                        .setResource("web")
                        .addEnabledSaslMechanism("SCRAM-SHA-1")
                        .setSendPresence(false);
        b.removeAllModules();
        b.addModule(XmppWebSocketTransportModuleDescriptor.getBuilder(b)
                .explicitlySetWebSocketEndpointAndDiscovery(
                        URI.create("wss://localhost:" + httpsPort + "/xmpp-websocket"), false)
                .build());
        return new ModularXmppClientToServerConnection(b.build());
    }

    private static XMPPTCPConnection tcpClient(String user, String password) throws Exception {
        return SmackLogin.tcp(XMPP_PORT, TestCertificates.trustManager(), user, password, "laptop");
    }

    private static HttpClient https() {
        return TrustedTls.httpClient(TestCertificates.trustManager());
    }
}
