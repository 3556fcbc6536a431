package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.xml.XmlElement;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input over raw sockets: each case asserts the exact error the server sends (RFC 6120 sections 4.9, 6.5, 11)
 * and that the server goes on serving others: a Smack session logged in before the bad one keeps working after it.
 */
class StreamErrorTest {

    private static TestServer server;
    private static XMPPTCPConnection bystander;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start().account("carol", "secret-carol").account("dave", "secret-dave");
        bystander = SmackClients.connect(server, "dave", "secret-dave");
    }

    @AfterAll
    static void stop() {
        bystander.disconnect();
        server.close();
    }

    @AfterEach
    void othersAreStillServed() throws Exception {
        assertThat(bystander.isConnected()).isTrue();
        assertThat(org.jivesoftware.smackx.ping.PingManager.getInstanceFor(bystander).pingMyServer(true, 10_000))
                .isTrue();
        XMPPTCPConnection fresh = SmackClients.connect(server, "carol", "secret-carol");
        fresh.disconnect();
    }

    private static StreamError streamError(RawClient c) throws Exception {
        XmlElement error = c.awaitStreamError();
        assertThat(error.namespace()).isEqualTo(StreamError.STREAM_NAMESPACE);
        assertThat(c.awaitClosed()).as("</stream:stream> after the error").isTrue();
        return StreamError.fromElement(error);
    }

    @Test
    void unservedDomainGetsHostUnknown() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER.replace("to='localhost'", "to='example.net'"));
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.HOST_UNKNOWN);
        }
    }

    @Test
    void anErrorInTheRestartedStreamComesAfterAFreshHeader() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            String firstId = c.lastStreamId();
            c.upgradeTls();
            c.send(RawClient.HEADER.replace("to='localhost'", "to='example.net'"));
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.HOST_UNKNOWN);
            // RFC 6120 4.9.1.2: the error is sent in a stream, so the restarted stream got its own header first.
            assertThat(c.lastStreamId()).isNotEmpty().isNotEqualTo(firstId);
        }
    }

    @Test
    void wrongContentNamespaceGetsInvalidNamespace() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER.replace("xmlns='jabber:client'", "xmlns='jabber:server'"));
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.INVALID_NAMESPACE);
        }
    }

    @Test
    void wrongStreamNamespaceGetsInvalidNamespace() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER.replace("http://etherx.jabber.org/streams", "urn:example:wrong"));
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.INVALID_NAMESPACE);
        }
    }

    @Test
    void aStreamElementWithoutItsPrefixGetsBadNamespacePrefix() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            // RFC 6120 4.8.5: the streams namespace declared as the default namespace instead of with a prefix.
            c.send("<?xml version='1.0'?><stream xmlns='http://etherx.jabber.org/streams' to='localhost' "
                    + "version='1.0'>");
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.BAD_NAMESPACE_PREFIX);
        }
    }

    @Test
    void theServerAnswersInTheClientsLanguageWithItsDomainAsFrom() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER.replace("version='1.0'>", "version='1.0' xml:lang='de' from='carol@localhost'>"));
            c.await("features");
            assertThat(c.lastHeader().lang()).isEqualTo("de");
            assertThat(c.lastHeader().from()).isEqualTo("localhost");
            assertThat(c.lastHeader().to()).isEqualTo("carol@localhost");
            assertThat(c.lastHeader().version()).isEqualTo("1.0");
        }
    }

    @Test
    void oldVersionGetsUnsupportedVersion() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER.replace("to='localhost' version='1.0'", "to='localhost' version='0.9'"));
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.UNSUPPORTED_VERSION);
        }
    }

    @Test
    void freshUnpredictableStreamIds() throws Exception {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            try (RawClient c = new RawClient(server.port())) {
                c.send(RawClient.HEADER);
                XmlElement features = c.await("features");
                assertThat(features.child("urn:ietf:params:xml:ns:xmpp-tls", "starttls")).isNotNull();
                assertThat(features.child("urn:ietf:params:xml:ns:xmpp-tls", "starttls")
                        .child("urn:ietf:params:xml:ns:xmpp-tls", "required")).isNotNull();
                // TLS is required, so nothing else is offered before it.
                assertThat(features.child("urn:ietf:params:xml:ns:xmpp-sasl", "mechanisms")).isNull();
                ids.add(c.lastStreamId());
            }
        }
        assertThat(ids).hasSize(5).allSatisfy(id -> assertThat(id).hasSizeGreaterThanOrEqualTo(16));
    }

    @Test
    void plainBeforeTlsIsRefusedWithEncryptionRequired() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            XmlElement answer = c.plain("carol", "secret-carol");
            assertThat(answer.localName()).isEqualTo("failure");
            assertThat(answer.namespace()).isEqualTo("urn:ietf:params:xml:ns:xmpp-sasl");
            assertThat(answer.child("urn:ietf:params:xml:ns:xmpp-sasl", "encryption-required")).isNotNull();
        }
    }

    @Test
    void wrongPasswordGetsNotAuthorizedAndRetriesAreLimited() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            XmlElement features = c.startTls();
            assertThat(features.child("urn:ietf:params:xml:ns:xmpp-sasl", "mechanisms").children())
                    .extracting(XmlElement::text)
                    .containsExactly("SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS",
                            "SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
            // XEP-0440: the bindings -PLUS can use here (tls-exporter only where the JDK can export keys).
            assertThat(features.child("urn:xmpp:sasl-cb:0", "sasl-channel-binding").children())
                    .extracting(cb -> cb.attribute("type")).contains("tls-server-end-point");
            for (int i = 0; i < ServerSasl.DEFAULT_MAX_ATTEMPTS; i++) {
                XmlElement answer = c.plain("carol", "wrong");
                assertThat(answer.localName()).isEqualTo("failure");
                assertThat(answer.child("urn:ietf:params:xml:ns:xmpp-sasl", "not-authorized")).isNotNull();
            }
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.POLICY_VIOLATION);
        }
    }

    @Test
    void malformedXmlGetsNotWellFormed() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            c.send("<message><body>unclosed</message>");
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.NOT_WELL_FORMED);
        }
    }

    @Test
    void commentGetsRestrictedXml() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            c.send("<!-- a comment is restricted XML -->");
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.RESTRICTED_XML);
        }
    }

    @Test
    void dtdGetsRestrictedXmlBeforeAnyExpansion() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;'>]>"
                    + RawClient.HEADER.substring("<?xml version='1.0'?>".length()));
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.RESTRICTED_XML);
        }
    }

    @Test
    void oversizedStanzaGetsPolicyViolationWithStanzaTooBig() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            c.send("<message><body>");
            try {
                // Far more than the limit; the server must answer long before all of it is sent.
                for (int i = 0; i < 64; i++) {
                    c.send(chunk);
                }
            } catch (java.io.IOException closedEarly) {
                // The server ended the stream while we were still sending: exactly what a limit should do.
            }
            StreamError error = streamError(c);
            assertThat(error.condition()).isEqualTo(StreamError.Condition.POLICY_VIOLATION);
            assertThat(error.application()).isNotNull();
            assertThat(error.application().is("urn:xmpp:errors", "stanza-too-big")).isTrue();
        }
    }

    @Test
    void stanzaBeforeAuthenticationGetsNotAuthorized() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.HEADER);
            c.await("features");
            c.send("<message to='carol@localhost'><body>hi</body></message>");
            assertThat(streamError(c).condition()).isEqualTo(StreamError.Condition.NOT_AUTHORIZED);
        }
    }
}
