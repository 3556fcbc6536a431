package org.fluxmpp.samples.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.testing.TestXmppServer;
import org.fluxmpp.transport.XmppClient;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The bridge between a real Fluxmpp server (a Smack client on the other end) and a real HTTP client. */
class StanzaBridgeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static TestXmppServer server;
    private static StanzaBridge bridge;
    private static DisposableServer http;
    private static XMPPTCPConnection smack;
    private static final BlockingQueue<org.jivesoftware.smack.packet.Message> atSmack = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestXmppServer.start().account("bridge", "br1dge").account("smackuser", "sm4ck");
        bridge = StanzaBridge.connect(XmppClient.create().jid("bridge@localhost/svc").password("br1dge")
                .host("127.0.0.1").port(server.port())
                .secure(tls -> tls.trustManager(TestXmppServer.trustManager()))).block(TIMEOUT);
        http = BridgeHttp.bind(bridge, "127.0.0.1", 0);
        smack = server.smack("smackuser", "sm4ck", "res");
        smack.addStanzaListener(s -> atSmack.add((org.jivesoftware.smack.packet.Message) s),
                StanzaTypeFilter.MESSAGE);
    }

    @AfterAll
    static void stop() {
        smack.disconnect();
        http.disposeNow(TIMEOUT);
        bridge.close().block(TIMEOUT);
        server.close();
    }

    private static HttpClient httpClient() {
        return HttpClient.create().host("127.0.0.1").port(http.port());
    }

    @Test
    void aMessageToTheBridgeReachesAnSseReaderAsJson() throws Exception {
        StringBuffer received = new StringBuffer();
        Disposable reading = httpClient().get().uri("/messages")
                .responseContent().asString(StandardCharsets.UTF_8)
                .subscribe(received::append);
        try {
            // The first bytes are the hello comment: from then on the reader is subscribed.
            await().atMost(TIMEOUT).until(() -> received.indexOf(":subscribed\n\n") >= 0);
            smack.sendStanza(StanzaBuilder.buildMessage("m-1").to(JidCreate.from("bridge@localhost"))
                    .ofType(org.jivesoftware.smack.packet.Message.Type.chat).setBody("hello \"bridge\"\nline 2")
                    .build());
            // A message without a body (a chat state, say) is no event.
            smack.sendStanza(StanzaBuilder.buildMessage("m-0").to(JidCreate.from("bridge@localhost"))
                    .ofType(org.jivesoftware.smack.packet.Message.Type.chat).build());
            smack.sendStanza(StanzaBuilder.buildMessage("m-2").to(JidCreate.from("bridge@localhost/svc"))
                    .setBody("second").build());

            await().atMost(TIMEOUT).until(() -> received.toString().split("\n\n").length >= 3);
            String[] events = received.toString().split("\n\n");
            assertThat(events[0]).isEqualTo(":subscribed");
            JsonNode first = event(events[1]);
            assertThat(first.get("from").asString()).isEqualTo("smackuser@localhost/res");
            assertThat(first.get("to").asString()).isEqualTo("bridge@localhost");
            assertThat(first.get("type").asString()).isEqualTo("chat");
            assertThat(first.get("body").asString()).isEqualTo("hello \"bridge\"\nline 2");
            assertThat(first.get("id").asString()).isEqualTo("m-1");
            JsonNode second = event(events[2]);
            assertThat(second.get("body").asString()).isEqualTo("second");
            assertThat(second.get("type").asString()).isEqualTo("normal");
            assertThat(second.get("id").asString()).isEqualTo("m-2");
        } finally {
            reading.dispose();
        }
    }

    private static JsonNode event(String event) {
        assertThat(event).startsWith("data: ").doesNotContain("\n");
        return JsonMapper.builder().build().readTree(event.substring("data: ".length()));
    }

    @Test
    void aPostIsSentAsAChatMessage() throws Exception {
        HttpResponseStatus status = post("/messages?to=smackuser@localhost/res", "from HTTP: ü <&>");
        assertThat(status).isEqualTo(HttpResponseStatus.ACCEPTED);

        org.jivesoftware.smack.packet.Message m = atSmack.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(m.getBody()).isEqualTo("from HTTP: ü <&>");
        assertThat(m.getType()).isEqualTo(org.jivesoftware.smack.packet.Message.Type.chat);
        assertThat(m.getFrom().toString()).isEqualTo("bridge@localhost/svc");
    }

    @Test
    void badPostsAreRefused() {
        assertThat(post("/messages", "no recipient")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(post("/messages?to=a@b@c", "bad JID")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(post("/messages?to=smackuser@localhost", "")).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(post("/messages?to=smackuser@localhost", "x".repeat(BridgeHttp.MAX_BODY + 1)))
                .isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
    }

    private static HttpResponseStatus post(String uri, String body) {
        return httpClient().post().uri(uri)
                .send(ByteBufFlux.fromString(Mono.just(body)))
                .responseSingle((res, content) -> content.then(Mono.just(res.status())))
                .block(TIMEOUT);
    }

    @Test
    void aSlowReaderKeepsOnlyTheNewestEventsAndNeverHoldsBackTheSource() {
        TestPublisher<Message> incoming = TestPublisher.create();
        // The reader asks for nothing while a burst goes by: the source is never held back (it was asked for
        // everything), and the reader then finds the newest EVENT_BUFFER events.
        StepVerifier.create(BridgeHttp.events(incoming.flux()), 0)
                .then(() -> {
                    incoming.assertMinRequested(Long.MAX_VALUE);
                    for (int i = 0; i < BridgeHttp.EVENT_BUFFER + 100; i++) {
                        incoming.next(Message.builder().id("m" + i).body("b" + i).build());
                    }
                    incoming.complete();
                })
                .thenRequest(1)
                .assertNext(e -> assertThat(e).contains("\"id\":\"m100\""))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(BridgeHttp.EVENT_BUFFER - 1)
                .verifyComplete();
    }
}
