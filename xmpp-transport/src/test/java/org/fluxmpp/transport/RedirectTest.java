package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BoundXmppServer#redirect}: a server sends its TCP clients to another with {@code see-other-host} (RFC 6120
 * 4.9.3.19), and {@link XmppClient} follows it, both for a session that was online and for a new connection.
 */
class RedirectTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final URI ELSEWHERE_WS = URI.create("wss://localhost:5443/xmpp-websocket");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TestServer from;
    private TestServer to;

    @BeforeEach
    void start() {
        from = TestServer.start(s -> s.meterRegistry(registry)).account("alice", "wonderland");
        to = TestServer.start().account("alice", "wonderland");
    }

    @AfterEach
    void stop() {
        from.close();
        to.close();
    }

    @Test
    void aRawClientHearsSeeOtherHostWithTheHost() throws Exception {
        from.server.redirect("127.0.0.1:" + to.port(), ELSEWHERE_WS);
        try (RawClient raw = new RawClient(from.port())) {
            raw.send(RawClient.HEADER);
            XmlElement error = raw.awaitStreamError();
            assertThat(StreamError.fromElement(error).otherHost()).isEqualTo("127.0.0.1:" + to.port());
            XmlElement condition = error.child(StreamError.CONDITIONS_NAMESPACE, "see-other-host");
            assertThat(condition).isNotNull();
            assertThat(condition.text()).isEqualTo("127.0.0.1:" + to.port());
        }
        assertThat(registry.get("xmpp.server.stream.errors").tag("condition", "see-other-host").counter().count())
                .isEqualTo(1);
    }

    @Test
    void anOnlineClientReconnectsToTheOtherHostWithTheSameResource() {
        XmppConnection alice = client().reconnect(Duration.ofMillis(100), Duration.ofSeconds(1))
                .connect().block(TIMEOUT);
        assertThat(alice).isNotNull();
        try {
            assertThat(from.server.streamCount()).isEqualTo(1);
            from.server.redirect("127.0.0.1:" + to.port(), ELSEWHERE_WS);
            await().atMost(TIMEOUT).until(() -> to.server.streamCount() == 1
                    && alice.states().blockFirst(TIMEOUT) == ConnectionState.ONLINE);
            assertThat(from.server.streamCount()).isZero();
            assertThat(alice.jid().toString()).isEqualTo("alice@localhost/redirected");
        } finally {
            alice.close().block(TIMEOUT);
        }
    }

    @Test
    void aNewConnectionFollowsTheRedirect() {
        from.server.redirect("127.0.0.1:" + to.port(), ELSEWHERE_WS);
        XmppConnection alice = client().connect().block(TIMEOUT);
        assertThat(alice).isNotNull();
        try {
            assertThat(to.server.streamCount()).isEqualTo(1);
        } finally {
            alice.close().block(TIMEOUT);
        }
    }

    @Test
    void aRedirectNeedsAHostAndAWebSocketUri() {
        assertThatIllegalArgumentException().isThrownBy(() -> from.server.redirect(" ", ELSEWHERE_WS));
        assertThatIllegalArgumentException().isThrownBy(() ->
                from.server.redirect("elsewhere.example", URI.create("https://elsewhere.example/")));
    }

    private XmppClient client() {
        return XmppClient.create().jid("alice@localhost/redirected").password("wonderland")
                .host("127.0.0.1").port(from.port())
                .secure(tls -> tls.trustManager(TestServer.trustManager()));
    }
}
