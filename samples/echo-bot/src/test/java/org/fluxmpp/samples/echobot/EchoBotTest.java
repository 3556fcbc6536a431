package org.fluxmpp.samples.echobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.testing.TestXmppServer;
import org.fluxmpp.transport.SaslFailureException;
import org.fluxmpp.transport.XmppClient;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import reactor.test.StepVerifier;

/** The bot against a real Fluxmpp server, talked to by a real Smack client. */
class EchoBotTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static TestXmppServer server;

    @BeforeAll
    static void start() {
        server = TestXmppServer.start().account("bot", "b0t-secret").account("bot2", "b0t-secret")
                .account("alice", "wonderland");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XmppClient client(TestXmppServer s, String account) {
        return XmppClient.create().jid(account + "@localhost/echo").password("b0t-secret")
                .host("127.0.0.1").port(s.port())
                .secure(tls -> tls.trustManager(TestXmppServer.trustManager()));
    }

    /** Every message Smack receives, in order. */
    private static BlockingQueue<Message> inbox(XMPPTCPConnection smack) {
        BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        smack.addStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
        return inbox;
    }

    private static Message take(BlockingQueue<Message> inbox) throws InterruptedException {
        Message m = inbox.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(m).as("a message within " + TIMEOUT).isNotNull();
        return m;
    }

    private static Message message(String to, Message.Type type, String body) throws Exception {
        return StanzaBuilder.buildMessage().to(JidCreate.from(to)).ofType(type).setBody(body).build();
    }

    @Test
    void answersEachMessageInOrderWithItsTypeAndThread() throws Exception {
        EchoBot bot = EchoBot.start(client(server, "bot"));
        XMPPTCPConnection alice = server.smack("alice", "wonderland", "phone");
        try {
            FullJid botJid = bot.online().block(TIMEOUT);
            assertThat(botJid).hasToString("bot@localhost/echo");
            BlockingQueue<Message> inbox = inbox(alice);

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String body = "chat " + i + " <&> ü";
                sent.add(body);
                alice.sendStanza(StanzaBuilder.buildMessage().to(JidCreate.from("bot@localhost"))
                        .ofType(Message.Type.chat).setThread("thread-1").setBody(body).build());
            }
            alice.sendStanza(message("bot@localhost/echo", Message.Type.normal, "plain"));

            for (String body : sent) {
                Message echo = take(inbox);
                assertThat(echo.getBody()).isEqualTo(body);
                assertThat(echo.getType()).isEqualTo(Message.Type.chat);
                assertThat(echo.getThread()).isEqualTo("thread-1");
                assertThat(echo.getFrom().toString()).isEqualTo("bot@localhost/echo");
                assertThat(echo.getTo().toString()).isEqualTo("alice@localhost/phone");
            }
            Message normal = take(inbox);
            assertThat(normal.getBody()).isEqualTo("plain");
            assertThat(normal.getType()).isEqualTo(Message.Type.normal);
            assertThat(normal.getThread()).isNull();
        } finally {
            alice.disconnect();
            bot.disposeNow(TIMEOUT);
        }
        StepVerifier.create(bot.onClose()).verifyComplete();
    }

    @Test
    void leavesErrorsHeadlinesAndMessagesWithoutBodyUnanswered() throws Exception {
        EchoBot bot = EchoBot.start(client(server, "bot"));
        XMPPTCPConnection alice = server.smack("alice", "wonderland", "tablet");
        try {
            bot.online().block(TIMEOUT);
            BlockingQueue<Message> inbox = inbox(alice);

            alice.sendStanza(StanzaBuilder.buildMessage().to(JidCreate.from("bot@localhost/echo"))
                    .ofType(Message.Type.error).setBody("an error")
                    .addExtension(StanzaError.getBuilder(StanzaError.Condition.item_not_found).build()).build());
            alice.sendStanza(StanzaBuilder.buildMessage().to(JidCreate.from("bot@localhost/echo"))
                    .ofType(Message.Type.chat).setThread("typing").build());
            alice.sendStanza(message("bot@localhost/echo", Message.Type.headline, "news"));
            alice.sendStanza(message("bot@localhost/echo", Message.Type.chat, "marker"));

            // The bot answers in order, so the marker's echo coming first means the others got none.
            assertThat(take(inbox).getBody()).isEqualTo("marker");
            assertThat(inbox.poll(300, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            alice.disconnect();
            bot.disposeNow(TIMEOUT);
        }
    }

    @Test
    void stoppingClosesTheStream() throws Exception {
        EchoBot bot = EchoBot.start(client(server, "bot2"));
        XMPPTCPConnection alice = server.smack("alice", "wonderland", "laptop");
        try {
            bot.online().block(TIMEOUT);
            bot.disposeNow(TIMEOUT);
            assertThat(bot.isDisposed()).isTrue();
            StepVerifier.create(bot.onClose()).verifyComplete();

            // The session is gone: the server answers for it (RFC 6120 10.5.3.2: service-unavailable).
            BlockingQueue<Message> inbox = inbox(alice);
            alice.sendStanza(message("bot2@localhost/echo", Message.Type.chat, "anyone?"));
            Message bounce = take(inbox);
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void stopsAtOnceOnAFailureThatWouldRepeat() {
        // The JDK's trust store does not know the server's self-signed certificate: no point in trying again.
        EchoBot untrusting = EchoBot.start(XmppClient.create().jid("bot@localhost").password("b0t-secret")
                .host("127.0.0.1").port(server.port()));
        StepVerifier.create(untrusting.onClose()).expectError(SSLException.class).verify(TIMEOUT);

        EchoBot wrongPassword = EchoBot.start(client(server, "bot").password("wrong"));
        StepVerifier.create(wrongPassword.onClose()).expectError(SaslFailureException.class).verify(TIMEOUT);
    }

    @Test
    void reconnectsWhenTheServerRestarts() throws Exception {
        try (TestXmppServer own = TestXmppServer.start().account("bot", "b0t-secret").account("alice", "wonderland")) {
            // A short connect timeout: a reconnection that reaches the stopping server hangs (see restart()).
            EchoBot bot = EchoBot.start(client(own, "bot").reconnect(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .connectTimeout(Duration.ofSeconds(2)));
            try {
                bot.online().block(TIMEOUT);
                own.restart();

                XMPPTCPConnection alice = own.smack("alice", "wonderland", "phone");
                try {
                    BlockingQueue<Message> inbox = inbox(alice);
                    // Until the bot is back, the server bounces the messages; then the echo comes.
                    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                        alice.sendStanza(message("bot@localhost/echo", Message.Type.chat, "back?"));
                        Message m = inbox.poll(200, TimeUnit.MILLISECONDS);
                        return m != null && m.getType() == Message.Type.chat;
                    });
                } finally {
                    alice.disconnect();
                }
            } finally {
                bot.disposeNow(TIMEOUT);
            }
            StepVerifier.create(bot.onClose()).verifyComplete();
        }
    }
}
