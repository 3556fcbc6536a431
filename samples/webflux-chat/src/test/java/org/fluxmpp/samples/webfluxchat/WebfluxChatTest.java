package org.fluxmpp.samples.webfluxchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.testing.SmackLogin;
import org.fluxmpp.testing.TrustedTls;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebFlux chat end to end on its one HTTPS port: headless Chromium (Debian's {@code chromium}, driven by
 * playwright-core) opens the page, logs in over {@code wss} with {@code @xmpp/client}, and chats with a Smack client
 * on XMPP's TCP port; the REST endpoint and the server-sent events of the bot account, with Smack on the other end.
 */
@SpringBootTest(classes = WebfluxChatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebfluxChatTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path DATA;
    private static final int XMPP_PORT;

    static {
        try {
            DATA = Files.createTempDirectory("webflux-chat");
            try (ServerSocket s = new ServerSocket(0)) {
                XMPP_PORT = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WebfluxChatApplication.prepare(DATA);
        FileCredentialStore store = FileCredentialStore.open(DATA.resolve("accounts.txt"));
        store.put(BareJid.of("alice", "localhost"), Credentials.fromPassword("wonderland"));
        store.put(BareJid.of("bob", "localhost"), Credentials.fromPassword("builder"));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("chat.data-dir", DATA::toString);
        registry.add("fluxmpp.server.port", () -> XMPP_PORT);
    }

    @LocalServerPort
    int httpsPort;

    @Autowired
    BotInbox inbox;

    @Test
    void chromiumChatsWithSmackThroughTheSameServer() throws Exception {
        XMPPTCPConnection bob = smack("bob", "builder");
        BlockingQueue<Message> atBob = new ArrayBlockingQueue<>(10);
        bob.addAsyncStanzaListener(s -> {
            Message m = (Message) s;
            atBob.add(m);
            try {
                bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(m.getFrom()).ofType(Message.Type.chat)
                        .setBody("echo: " + m.getBody()).build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, s -> s instanceof Message m && m.getBody() != null);
        try {
            Path screenshot = Path.of("target/webflux-chat-browser.png").toAbsolutePath();
            Files.deleteIfExists(screenshot);
            JsonNode result = browser("--url=https://localhost:" + httpsPort + "/",
                    "--jid=alice@localhost", "--password=wonderland", "--peer=bob@localhost",
                    "--message=Hello from Chromium", "--expect=echo: Hello from Chromium",
                    "--screenshot=" + screenshot, "--timeout=" + TIMEOUT.toMillis());
            assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.get("received").asString()).isEqualTo("echo: Hello from Chromium");
            assertThat(result.get("mechanism").asString()).isEqualTo("PLAIN"); // inside wss only
            Message received = atBob.poll(10, TimeUnit.SECONDS);
            assertThat(received).isNotNull();
            assertThat(received.getBody()).isEqualTo("Hello from Chromium");
            assertThat(received.getFrom().asBareJid().toString()).isEqualTo("alice@localhost");
            assertThat(screenshot).exists();
            assertThat(Files.size(screenshot)).isGreaterThan(1000);
        } finally {
            bob.disconnect();
        }
    }

    @Test
    void restSendsFromTheBotAndServerSentEventsStreamWhatItReceives() throws Exception {
        XMPPTCPConnection bob = smack("bob", "builder");
        BlockingQueue<Message> atBob = new ArrayBlockingQueue<>(10);
        bob.addAsyncStanzaListener(s -> atBob.add((Message) s), s -> s instanceof Message m && m.getBody() != null);
        try {
            StringBuffer events = new StringBuffer();
            var stream = https().get().uri(url("/api/messages"))
                    .responseContent().asString(StandardCharsets.UTF_8)
                    .subscribe(events::append);
            try {
                // The event stream carries what arrives after it is subscribed: Bob writes once it listens.
                await().atMost(TIMEOUT).until(() -> inbox.listeners() == 1);
                bob.sendStanza(bob.getStanzaFactory().buildMessageStanza()
                        .to(JidCreate.from("bot@localhost/webflux-chat")).ofType(Message.Type.chat)
                        .setBody("Hello bot").build());
                await().atMost(TIMEOUT).until(() -> {
                    String text = events.toString();
                    return text.contains("event:message")
                            && text.contains("\"from\":\"bob@localhost/smack\"")
                            && text.contains("\"body\":\"Hello bot\"");
                });
            } finally {
                stream.dispose();
            }

            var accepted = post("{\"to\":\"bob@localhost/smack\",\"body\":\"Hello from REST\"}");
            assertThat(accepted).isEqualTo(202);
            Message received = atBob.poll(10, TimeUnit.SECONDS);
            assertThat(received).isNotNull();
            assertThat(received.getBody()).isEqualTo("Hello from REST");
            assertThat(received.getFrom().toString()).isEqualTo("bot@localhost/webflux-chat");

            assertThat(post("{\"to\":\"not a jid@@\",\"body\":\"x\"}")).isEqualTo(400);
        } finally {
            bob.disconnect();
        }
    }

    private int post(String json) {
        Integer status = https().headers(h -> h.set("Content-Type", "application/json"))
                .post().uri(url("/api/messages"))
                .send(Mono.just(io.netty.buffer.Unpooled.copiedBuffer(json, StandardCharsets.UTF_8)))
                .response((response, body) -> body.then(Mono.just(response.status().code())))
                .next().block(TIMEOUT);
        return status == null ? -1 : status;
    }

    private String url(String path) {
        return "https://127.0.0.1:" + httpsPort + path;
    }

    /** Runs the headless-Chromium script with playwright-core from the page's own node_modules; its JSON result. */
    private static JsonNode browser(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("node", "src/test/browser/chat-session.mjs"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/chat-session.stderr.log")))
                .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as("the script's JSON line").isNotEmpty();
            return JsonMapper.builder().build().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        } finally {
            p.destroyForcibly();
        }
    }

    private static XMPPTCPConnection smack(String user, String password) throws Exception {
        return SmackLogin.tcp(XMPP_PORT, trustManager(), user, password, "smack");
    }

    private static HttpClient https() {
        return TrustedTls.httpClient(trustManager());
    }

    private static X509TrustManager trustManager() {
        return TrustedTls.trusting(DATA.resolve("tls/cert.pem"));
    }
}
