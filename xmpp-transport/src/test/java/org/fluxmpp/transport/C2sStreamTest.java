package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client-to-server streams over real sockets and real TLS (RFC 6120): features per stage, resource binding, the
 * legacy session, stamping and checking 'from', delivery errors, closing, timeouts and the bounded outbound queue.
 */
class C2sStreamTest {

    private static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    private static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(s -> s.outboundCapacity(50))
                .account("erin", "erin-pw").account("frank", "frank-pw")
                .account("pam", "pam-pw").account("quinn", "quinn-pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static StanzaError stanzaError(XmlElement stanza) {
        assertThat(stanza.attribute("type")).isEqualTo("error");
        return StanzaError.fromElement(stanza.child("jabber:client", "error"));
    }

    @Test
    void afterSaslTheFeaturesAreBindAndOptionalSession() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            c.startTls();
            assertThat(c.plain("erin", "erin-pw").localName()).isEqualTo("success");
            XmlElement features = c.restart();
            assertThat(features.child(BIND_NS, "bind")).isNotNull();
            assertThat(features.child(SESSION_NS, "session").child(SESSION_NS, "optional")).isNotNull();
            assertThat(features.child("urn:ietf:params:xml:ns:xmpp-sasl", "mechanisms")).isNull();
            assertThat(features.child("urn:ietf:params:xml:ns:xmpp-tls", "starttls")).isNull();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(org.fluxmpp.transport.sasl.ScramHash.class)
    void scramPlusBindsTheExchangeToTheTlsChannel(org.fluxmpp.transport.sasl.ScramHash hash) throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            c.startTls();
            boolean[] serverProved = new boolean[1];
            XmlElement answer = c.scram(hash, true, "erin", "erin-pw", serverProved);
            assertThat(answer.localName()).as(answer.toString()).isEqualTo("success");
            assertThat(serverProved[0]).as("the server's signature verifies").isTrue();
        }
    }

    @Test
    void directTlsNeedsNoStartTlsAndNegotiatesAlpnXmppClient() throws Exception {
        try (TestServer direct = TestServer.start(s -> s.directTlsPort(0)).account("gina", "gina-pw")) {
            int port = direct.server.directTlsPort();
            assertThat(port).isPositive().isNotEqualTo(direct.port());
            try (RawClient c = RawClient.directTls(port)) {
                assertThat(((javax.net.ssl.SSLSocket) c.socket()).getApplicationProtocol()).isEqualTo("xmpp-client");
                c.send(RawClient.HEADER);
                XmlElement features = c.await("features");
                assertThat(features.child("urn:ietf:params:xml:ns:xmpp-tls", "starttls")).isNull();
                assertThat(features.child("urn:ietf:params:xml:ns:xmpp-sasl", "mechanisms").children())
                        .extracting(XmlElement::text).contains("SCRAM-SHA-256-PLUS", "PLAIN");
                assertThat(c.plain("gina", "gina-pw").localName()).isEqualTo("success");
                c.restart();
                c.send("<iq type='set' id='b'><bind xmlns='" + BIND_NS + "'><resource>d</resource></bind></iq>");
                assertThat(c.await("iq").attribute("type")).isEqualTo("result");
            }
        }
    }

    @Test
    void stoppingTheServerEndsEveryStreamWithSystemShutdown() throws Exception {
        TestServer stopping = TestServer.start().account("hank", "hank-pw");
        try (RawClient bound = new RawClient(stopping.port()); RawClient negotiating = new RawClient(stopping.port())) {
            bound.login("hank", "hank-pw", "r");
            negotiating.send(RawClient.HEADER);
            negotiating.await("features");
            assertThat(stopping.server.streamCount()).isEqualTo(2);
            stopping.close();
            for (RawClient c : new RawClient[] {bound, negotiating}) {
                assertThat(StreamError.fromElement(c.awaitStreamError()).condition())
                        .isEqualTo(StreamError.Condition.SYSTEM_SHUTDOWN);
                assertThat(c.awaitClosed()).isTrue();
            }
        }
    }

    @Test
    void aKnownMechanismLeftOutForStrongerOnesIsTooWeak() throws Exception {
        try (TestServer strict = TestServer.start(s -> s.authentication(sasl -> sasl.scramSha512().scramSha256()));
             RawClient c = new RawClient(strict.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            c.startTls();
            XmlElement answer = c.plain("erin", "erin-pw");
            assertThat(answer.child("urn:ietf:params:xml:ns:xmpp-sasl", "mechanism-too-weak")).isNotNull();
            c.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='X-UNKNOWN'>=</auth>");
            assertThat(c.awaitAny().child("urn:ietf:params:xml:ns:xmpp-sasl", "invalid-mechanism")).isNotNull();
        }
    }

    @Test
    void anonymousGivesAFreshJidWhenConfigured() throws Exception {
        try (TestServer open = TestServer.start(s -> s.authentication(sasl -> sasl.scramSha256().anonymous()));
             RawClient c = new RawClient(open.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            XmlElement features = c.startTls();
            assertThat(features.child("urn:ietf:params:xml:ns:xmpp-sasl", "mechanisms").children())
                    .extracting(XmlElement::text).containsExactly("SCRAM-SHA-256", "ANONYMOUS");
            c.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='ANONYMOUS'>dHJhY2U=</auth>");
            assertThat(c.awaitAny().localName()).isEqualTo("success");
            c.restart();
            c.send("<iq type='set' id='b'><bind xmlns='" + BIND_NS + "'/></iq>");
            String jid = c.await("iq").child(BIND_NS, "bind")
                    .childText(new javax.xml.namespace.QName(BIND_NS, "jid"));
            assertThat(jid).matches("anon-[0-9a-f]{20}@localhost/.+");
        }
    }

    @Test
    void serverGeneratesAResourceWhenNoneIsAskedForAndAnswersTheLegacySession() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            String jid = c.login("erin", "erin-pw", null);
            assertThat(jid).startsWith("erin@localhost/").hasSizeGreaterThan("erin@localhost/".length() + 8);
            c.send("<iq type='set' id='s1'><session xmlns='" + SESSION_NS + "'/></iq>");
            XmlElement result = c.await("iq");
            assertThat(result.attribute("type")).isEqualTo("result");
            assertThat(result.attribute("id")).isEqualTo("s1");
        }
    }

    @Test
    void invalidResourceIsABadRequest() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            c.startTls();
            c.plain("erin", "erin-pw");
            c.restart();
            // U+0378 is unassigned, which the OpaqueString profile (RFC 8265 4.2) disallows.
            c.send("<iq type='set' id='b1'><bind xmlns='" + BIND_NS + "'><resource>\u0378</resource></bind></iq>");
            assertThat(stanzaError(c.await("iq")).condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
        }
    }

    @Test
    void newSessionForTheSameFullJidWinsAndTheOldOneGetsConflict() throws Exception {
        try (RawClient first = new RawClient(server.port()); RawClient second = new RawClient(server.port())) {
            assertThat(first.login("frank", "frank-pw", "desk")).isEqualTo("frank@localhost/desk");
            assertThat(second.login("frank", "frank-pw", "desk")).isEqualTo("frank@localhost/desk");
            XmlElement error = first.awaitStreamError();
            assertThat(StreamError.fromElement(error).condition()).isEqualTo(StreamError.Condition.CONFLICT);
            assertThat(first.awaitClosed()).isTrue();
            // The new session is the one that receives now.
            second.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(second.await("iq").attribute("type")).isEqualTo("result");
        }
    }

    @Test
    void fromIsStampedWithTheFullJid() throws Exception {
        try (RawClient erin = new RawClient(server.port()); RawClient frank = new RawClient(server.port())) {
            erin.login("erin", "erin-pw", "a");
            frank.login("frank", "frank-pw", "b");
            // A bare 'from' naming oneself is allowed, and replaced by the full JID.
            erin.send("<message to='frank@localhost/b' from='erin@localhost'><body>one</body></message>");
            erin.send("<message to='frank@localhost/b'><body>two</body></message>");
            XmlElement one = frank.await("message");
            XmlElement two = frank.await("message");
            assertThat(one.attribute("from")).isEqualTo("erin@localhost/a");
            assertThat(two.attribute("from")).isEqualTo("erin@localhost/a");
            assertThat(two.childText(new javax.xml.namespace.QName("jabber:client", "body"))).isEqualTo("two");
        }
    }

    @Test
    void aForeignFromGetsInvalidFrom() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.login("erin", "erin-pw", "spoof");
            c.send("<message to='frank@localhost' from='frank@localhost/x'><body>spoof</body></message>");
            assertThat(StreamError.fromElement(c.awaitStreamError()).condition())
                    .isEqualTo(StreamError.Condition.INVALID_FROM);
            assertThat(c.awaitClosed()).isTrue();
        }
    }

    @Test
    void anUnknownFirstLevelElementGetsUnsupportedStanzaType() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.login("erin", "erin-pw", "odd");
            c.send("<frobnicate xmlns='urn:example:odd'/>");
            assertThat(StreamError.fromElement(c.awaitStreamError()).condition())
                    .isEqualTo(StreamError.Condition.UNSUPPORTED_STANZA_TYPE);
        }
    }

    @Test
    void iqDeliveryErrors() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.login("erin", "erin-pw", "iq");
            // To the server, with a payload nothing handles.
            c.send("<iq type='get' id='q1'><query xmlns='urn:example:nothing'/></iq>");
            XmlElement toServer = c.await("iq");
            assertThat(toServer.attribute("id")).isEqualTo("q1");
            assertThat(stanzaError(toServer).condition()).isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE);
            // To a full JID that is not bound.
            c.send("<iq type='get' id='q2' to='frank@localhost/nowhere'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(stanzaError(c.await("iq")).condition()).isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE);
            // To an account that does not exist.
            c.send("<iq type='get' id='q3' to='nobody@localhost'><query xmlns='urn:example:nothing'/></iq>");
            assertThat(stanzaError(c.await("iq")).condition()).isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE);
            // An iq get without a child breaks RFC 6120 8.2.3.
            c.send("<iq type='get' id='q4'/>");
            XmlElement bad = c.await("iq");
            assertThat(bad.attribute("id")).isEqualTo("q4");
            assertThat(stanzaError(bad).condition()).isEqualTo(StanzaError.Condition.BAD_REQUEST);
            // XEP-0199 ping of the server, after a whitespace keepalive.
            c.send(" \n ");
            c.send("<iq type='get' id='q5'><ping xmlns='urn:xmpp:ping'/></iq>");
            XmlElement pong = c.await("iq");
            assertThat(pong.attribute("type")).isEqualTo("result");
            assertThat(pong.attribute("id")).isEqualTo("q5");
        }
    }

    @Test
    void closingTheStreamIsAnsweredWithAClose() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.login("erin", "erin-pw", "bye");
            c.send("</stream:stream>");
            assertThat(c.awaitClosed()).isTrue();
        }
    }

    @Test
    void negotiationThatDoesNotFinishInTimeGetsConnectionTimeout() throws Exception {
        try (TestServer quick = TestServer.start(s -> s.negotiationTimeout(Duration.ofMillis(300)));
             RawClient c = new RawClient(quick.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            assertThat(StreamError.fromElement(c.awaitStreamError()).condition())
                    .isEqualTo(StreamError.Condition.CONNECTION_TIMEOUT);
            assertThat(c.awaitClosed()).isTrue();
        }
    }

    @Test
    void aClientThatStopsReadingIsEndedWithPolicyViolationWhileOthersGoOn() throws Exception {
        try (RawClient reader = new RawClient(server.port()); RawClient sender = new RawClient(server.port())) {
            reader.login("frank", "frank-pw", "slow");
            sender.login("erin", "erin-pw", "fast");
            // Large messages, so that the bounces the sender gets back (a few hundred bytes each) stay few.
            String body = "x".repeat(64 * 1024);
            // Far more than the socket buffers and the 50-stanza queue hold while the reader reads nothing. The
            // sender, like any real client, reads while it writes.
            // Meanwhile another pair exchanges messages unhindered: a slow reader slows only itself.
            java.util.concurrent.CompletableFuture<Void> pair = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (RawClient pam = new RawClient(server.port()); RawClient quinn = new RawClient(server.port())) {
                    pam.login("pam", "pam-pw", "p");
                    quinn.login("quinn", "quinn-pw", "q");
                    for (int i = 0; i < 500; i++) {
                        pam.send("<message to='quinn@localhost/q' id='n" + i + "'><body>" + i + "</body></message>");
                        assertThat(quinn.await("message").attribute("id")).isEqualTo("n" + i);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            java.util.concurrent.CompletableFuture<Void> flood = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 320; i++) {
                        sender.send("<message to='frank@localhost/slow' id='m" + i + "'><body>" + body
                                + "</body></message>");
                    }
                    sender.send("<iq type='get' id='alive'><ping xmlns='urn:xmpp:ping'/></iq>");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // The sender learns of undeliverable messages through stanza errors, and its stream goes on: it reads
            // every bounce and then the answer to its ping, sent after the flood.
            XmlElement bounce = sender.await("message");
            assertThat(stanzaError(bounce).condition()).isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE);
            assertThat(sender.await("iq").attribute("id")).isEqualTo("alive");
            flood.get(60, java.util.concurrent.TimeUnit.SECONDS);
            pair.get(60, java.util.concurrent.TimeUnit.SECONDS);
            // The reader, reading at last, finds its stream ended by the overflow policy.
            assertThat(StreamError.fromElement(reader.awaitStreamError()).condition())
                    .isEqualTo(StreamError.Condition.POLICY_VIOLATION);
        }
    }
}
