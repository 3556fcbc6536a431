package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.testing.TrustedTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * XMPP over WebSocket (RFC 7395) against a real WebSocket client, reactor-netty's, speaking the framing by hand over
 * {@code wss}, and a TCP client ({@link XmppClient}) on the same server and router.
 */
class WebSocketServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    private static final String OPEN = "<open xmlns='" + FRAMING + "' to='localhost' version='1.0'/>";
    private static final String CLOSE = "<close xmlns='" + FRAMING + "'/>";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(s -> s.webSocketPort(0)).account("alice", "pw").account("bob", "builder");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void logsInBindsAndChatsWithATcpClientThenCloses() throws Exception {
        XmppConnection bob = XmppClient.create().jid("bob@localhost/tcp").password("builder")
                .host("127.0.0.1").port(server.port())
                .secure(tls -> tls.trustManager(TestServer.trustManager()))
                .connect().block(TIMEOUT);
        assertThat(bob).isNotNull();
        try {
            // Bob answers every message; his inbound ends with an error when the server stops, which is expected.
            bob.inbound().ofType(Message.class).subscribe(m -> bob.send(Message.builder().to(m.from())
                    .type(Message.Type.CHAT).body("re: " + m.body()).build()).subscribe(), e -> { });
            try (WsClient ws = WsClient.connect()) {
                assertThat(ws.protocol()).isEqualTo("xmpp");
                ws.send(OPEN);
                assertThat(ws.next()).startsWith("<open xmlns='" + FRAMING + "'").contains("from='localhost'")
                        .contains("version='1.0'").contains("id='");
                // wss is TLS from the first byte: SASL at once, PLAIN allowed, no STARTTLS.
                assertThat(ws.next()).startsWith("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>")
                        .contains("<mechanism>PLAIN</mechanism>").doesNotContain("starttls");
                String plain = Base64.getEncoder().encodeToString("\0alice\0pw".getBytes(StandardCharsets.UTF_8));
                ws.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain + "</auth>");
                assertThat(ws.next()).isEqualTo("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
                ws.send(OPEN);
                assertThat(ws.next()).startsWith("<open xmlns='" + FRAMING + "'");
                assertThat(ws.next()).contains("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>");
                ws.send("<iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                        + "<resource>web</resource></bind></iq>");
                assertThat(ws.next()).startsWith("<iq xmlns='jabber:client'").contains("type='result'")
                        .contains("<jid>alice@localhost/web</jid>");
                ws.send("<message xmlns='jabber:client' to='bob@localhost/tcp' type='chat'><body>hi</body></message>");
                // RFC 7395 3.3.3: every stanza declares its content namespace.
                assertThat(ws.next()).startsWith("<message xmlns='jabber:client'")
                        .contains("from='bob@localhost/tcp'").contains("to='alice@localhost/web'")
                        .contains("<body>re: hi</body>");
                ws.send(CLOSE);
                assertThat(ws.next()).isEqualTo(CLOSE);
                assertThat(ws.awaitClosed()).isTrue();
            }
        } finally {
            bob.close();
        }
    }

    @Test
    void aHandshakeWithoutTheXmppSubProtocolIsRefused() {
        // RFC 7395 3.1: no "xmpp" in Sec-WebSocket-Protocol, no XMPP stream: the upgrade is refused with 400.
        StepVerifier.create(WsClient.wss()
                        .websocket(WebsocketClientSpec.builder().protocols("chat").build())
                        .uri("wss://127.0.0.1:" + server.server.webSocketPort() + XmppServer.DEFAULT_WEBSOCKET_PATH)
                        .handle((in, out) -> Mono.empty()))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("400"))
                .verify(TIMEOUT);
        assertThat(XmppWebSocketHandler.asksForXmpp(java.util.List.of("chat, xmpp"))).isTrue();
        assertThat(XmppWebSocketHandler.asksForXmpp(java.util.List.of("xmpp-v2"))).isFalse();
    }

    @Test
    void twoElementsInOneMessageAreNotWellFormed() throws Exception {
        assertStreamError("<presence xmlns='jabber:client'/><presence xmlns='jabber:client'/>");
    }

    @Test
    void malformedXmlIsNotWellFormed() throws Exception {
        assertStreamError("<message xmlns='jabber:client'><body>x</message>");
    }

    @Test
    void anUnfinishedElementIsNotWellFormed() throws Exception {
        assertStreamError("<message xmlns='jabber:client'>");
    }

    @Test
    void aBinaryMessageIsNotWellFormed() throws Exception {
        try (WsClient ws = WsClient.connect()) {
            openStream(ws);
            ws.send(new BinaryWebSocketFrame(Unpooled.copiedBuffer(OPEN, StandardCharsets.UTF_8)));
            assertNotWellFormedThenClose(ws);
        }
    }

    @Test
    void stoppingTheServerEndsWebSocketStreamsWithSystemShutdown() throws Exception {
        TestServer own = TestServer.start(s -> s.webSocketPort(0));
        try (WsClient ws = WsClient.connect(own.server.webSocketPort())) {
            openStream(ws);
            assertThat(own.server.streamCount()).isEqualTo(1);
            own.close();
            assertThat(ws.next()).contains("<system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
            assertThat(ws.next()).isEqualTo(CLOSE);
            assertThat(ws.awaitClosed()).isTrue();
        } finally {
            own.close();
        }
    }

    @Test
    void aRedirectClosesWebSocketStreamsWithSeeOtherUri() throws Exception {
        // RFC 7395 3.6.1: on WebSocket, <close see-other-uri/> takes the place of the see-other-host stream error.
        TestServer own = TestServer.start(s -> s.webSocketPort(0));
        try (WsClient ws = WsClient.connect(own.server.webSocketPort())) {
            openStream(ws);
            own.server.redirect("xmpp2.example:5222", URI.create("wss://xmpp2.example/xmpp-websocket"));
            assertThat(ws.next()).isEqualTo("<close xmlns='" + FRAMING
                    + "' see-other-uri='wss://xmpp2.example/xmpp-websocket'/>");
            assertThat(ws.awaitClosed()).isTrue();
        } finally {
            own.close();
        }
    }

    @Test
    void theServersHandlerServesStreamsOnTheApplicationsOwnHttpServer() throws Exception {
        XmppWebSocketHandler handler = server.server.webSocketHandler();
        DisposableServer http = HttpServer.create().host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(TestServer.tls().sslContext()))
                .route(routes -> routes
                        .get("/app/xmpp", (req, res) -> res.sendWebsocket(handler, handler.serverSpec()))
                        // A route that upgrades without the xmpp sub-protocol: the handler must not run a stream.
                        .get("/app/plain", (req, res) -> res.sendWebsocket(handler)))
                .bindNow();
        try {
            int before = server.server.streamCount();
            try (WsClient ws = WsClient.connect(http.port(), "/app/xmpp", "xmpp")) {
                openStream(ws);
                assertThat(server.server.streamCount()).isEqualTo(before + 1);
            }
            try (WsClient ws = WsClient.connect(http.port(), "/app/plain")) {
                assertThat(ws.closeStatus()).isEqualTo(1002); // RFC 6455 protocol error
            }
        } finally {
            http.disposeNow();
        }
    }

    @Test
    void plainWebSocketIsRefusedWhileTlsIsRequiredAndGetsNoStartTlsOtherwise() throws Exception {
        // An application's plain-HTTP route (ws, no TLS): WebSocket has no STARTTLS, so with TLS required the stream
        // ends at once; without, SCRAM is offered but never PLAIN, and no STARTTLS feature appears.
        TestServer lax = TestServer.start(s -> s.tlsRequired(false));
        DisposableServer required = plainRoute(server.server.webSocketHandler());
        DisposableServer optional = plainRoute(lax.server.webSocketHandler());
        try {
            try (WsClient ws = WsClient.plain(required.port())) {
                ws.send(OPEN);
                assertThat(ws.next()).startsWith("<open ");
                assertThat(ws.next()).contains("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")
                        .contains("wss");
                assertThat(ws.next()).isEqualTo(CLOSE);
            }
            try (WsClient ws = WsClient.plain(optional.port())) {
                ws.send(OPEN);
                assertThat(ws.next()).startsWith("<open ");
                assertThat(ws.next()).contains("<mechanism>SCRAM-SHA-256</mechanism>")
                        .doesNotContain("PLAIN").doesNotContain("starttls");
            }
        } finally {
            required.disposeNow();
            optional.disposeNow();
            lax.close();
        }
    }

    private static DisposableServer plainRoute(XmppWebSocketHandler handler) {
        return HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get(XmppServer.DEFAULT_WEBSOCKET_PATH,
                        (req, res) -> res.sendWebsocket(handler, handler.serverSpec())))
                .bindNow();
    }

    private static void assertStreamError(String message) throws Exception {
        try (WsClient ws = WsClient.connect()) {
            openStream(ws);
            ws.send(message);
            assertNotWellFormedThenClose(ws);
        }
    }

    private static void openStream(WsClient ws) throws InterruptedException {
        ws.send(OPEN);
        assertThat(ws.next()).startsWith("<open ");
        assertThat(ws.next()).startsWith("<stream:features ");
    }

    private static void assertNotWellFormedThenClose(WsClient ws) throws InterruptedException {
        assertThat(ws.next()).startsWith("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>")
                .contains("<not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        assertThat(ws.next()).isEqualTo(CLOSE);
        assertThat(ws.awaitClosed()).isTrue();
    }

    /** A WebSocket client over wss that trusts the test server's certificate, one text message at a time. */
    private static final class WsClient implements AutoCloseable {

        private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<String> protocol = new CompletableFuture<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
        private final Disposable connection;

        private WsClient(boolean secure, int port, String path, String... protocols) {
            WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder();
            if (protocols.length > 0) {
                spec.protocols(String.join(",", protocols));
            }
            connection = (secure ? wss() : HttpClient.create())
                    .websocket(spec.build())
                    .uri((secure ? "wss" : "ws") + "://127.0.0.1:" + port + path)
                    .handle((in, out) -> {
                        String selected = in.selectedSubprotocol();
                        protocol.complete(selected == null ? "" : selected);
                        in.receiveCloseStatus().subscribe(status -> closeStatus.complete(status.code()));
                        Mono<Void> receive = in.aggregateFrames().receiveFrames()
                                .doOnNext(f -> {
                                    if (f instanceof TextWebSocketFrame t) {
                                        received.add(t.text());
                                    }
                                })
                                .doFinally(signal -> closed.complete(null))
                                .then();
                        return Mono.when(receive, out.sendObject(outbound.asFlux()).then());
                    })
                    .subscribe(null, e -> closed.complete(null));
        }

        /** An HTTP client for wss that trusts the test server's certificate. */
        static HttpClient wss() {
            return TrustedTls.httpClient(TestServer.trustManager());
        }

        static WsClient connect() {
            return connect(server.server.webSocketPort());
        }

        static WsClient connect(int port) {
            return new WsClient(true, port, XmppServer.DEFAULT_WEBSOCKET_PATH, "xmpp");
        }

        static WsClient connect(int port, String path, String... protocols) {
            return new WsClient(true, port, path, protocols);
        }

        /** Plain {@code ws}, no TLS. */
        static WsClient plain(int port) {
            return new WsClient(false, port, XmppServer.DEFAULT_WEBSOCKET_PATH, "xmpp");
        }

        int closeStatus() throws Exception {
            return closeStatus.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        String protocol() throws Exception {
            return protocol.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        void send(String text) {
            send(new TextWebSocketFrame(text));
        }

        void send(WebSocketFrame frame) {
            outbound.emitNext(frame, Sinks.EmitFailureHandler.busyLooping(TIMEOUT));
        }

        String next() throws InterruptedException {
            String s = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(s).as("a message within %s", TIMEOUT).isNotNull();
            return s;
        }

        boolean awaitClosed() {
            try {
                closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        @Override
        public void close() {
            outbound.tryEmitComplete();
            connection.dispose();
        }
    }
}
