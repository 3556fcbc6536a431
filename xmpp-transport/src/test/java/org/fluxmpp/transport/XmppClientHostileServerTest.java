package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.transport.internal.sasl.SaslStep;
import org.fluxmpp.transport.internal.sasl.ScramServer;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.ScramHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@link XmppClient} against a scripted server that misbehaves in the ways a client must catch: a wrong SCRAM server
 * signature (it does not know the password), a channel-binding downgrade (XEP-0440 advertised, no -PLUS offered),
 * and a stream error during negotiation. The script speaks over real sockets with real TLS; the leak detector
 * checks that the client released every buffer.
 */
class XmppClientHostileServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='localhost' version='1.0'>";
    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

    private static X509Bundle certificate;
    private static SSLContext serverTls;

    private ServerSocket listener;
    private CompletableFuture<Void> script;

    @BeforeAll
    static void tls() throws Exception {
        certificate = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost").ecp256()
                .addExtendedKeyUsageServerAuth().setIsCertificateAuthority(true).buildSelfSigned();
        char[] password = "test".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(certificate.toKeyStore(password), password);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
    }

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws Exception {
        listener.close();
        if (script != null) {
            script.get(10, TimeUnit.SECONDS);
        }
    }

    private XmppClient client() {
        return XmppClient.create().jid("alice@localhost").password("secret")
                .host("127.0.0.1").port(listener.getLocalPort())
                .secure(tls -> tls.trustCertificates(certificate.getCertificate()));
    }

    /** Runs the server's side on its own thread: blocking sockets are fine in a test's peer. */
    private void serve(ScriptStep step) {
        script = CompletableFuture.runAsync(() -> {
            try (Socket s = listener.accept()) {
                step.run(new Conversation(s.getInputStream(), s.getOutputStream()), s);
            } catch (IOException e) {
                // The client hung up first: that is what several scripts expect.
            }
        });
    }

    /** Plays the server up to the SASL features, over STARTTLS; returns the TLS conversation. */
    private static Conversation startTls(Conversation plain, Socket socket, String mechanismFeatures)
            throws IOException {
        plain.readUntil(">");
        plain.write(HEADER + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
                + "</starttls></stream:features>");
        plain.readUntil("/>");
        plain.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        SSLSocket tls = (SSLSocket) serverTls.getSocketFactory().createSocket(socket, null, socket.getPort(), false);
        tls.setUseClientMode(false);
        tls.startHandshake();
        Conversation secure = new Conversation(tls.getInputStream(), tls.getOutputStream());
        secure.readUntil(">");
        secure.write(HEADER + "<stream:features>" + mechanismFeatures + "</stream:features>");
        return secure;
    }

    @Test
    void aWrongScramServerSignatureFailsTheLogin() {
        serve((plain, socket) -> {
            Conversation c = startTls(plain, socket,
                    "<mechanisms xmlns='" + SASL + "'><mechanism>SCRAM-SHA-1</mechanism></mechanisms>");
            SaslStep last = scramUpToTheProof(c);
            assertThat(last).as("the client's proof is right").isInstanceOf(SaslStep.Success.class);
            // ...but this server pretends: its signature is not the one the password gives.
            c.write("<success xmlns='" + SASL + "'>" + base64("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA="
                    .getBytes(StandardCharsets.US_ASCII)) + "</success>");
            c.readToEnd();
        });
        StepVerifier.create(client().mechanisms(SaslMechanism.SCRAM_SHA_1).connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SaslFailureException.class, f -> {
                    assertThat(f.condition()).as("the client refused the server").isNull();
                    assertThat(f).hasMessageContaining("signature");
                }))
                .verify(TIMEOUT);
    }

    @Test
    void aChannelBindingDowngradeIsRefused() {
        serve((plain, socket) -> {
            // Channel binding advertised (XEP-0440), yet only mechanisms without it: someone stripped the -PLUS.
            Conversation c = startTls(plain, socket,
                    "<mechanisms xmlns='" + SASL + "'><mechanism>SCRAM-SHA-256</mechanism></mechanisms>"
                    + "<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'>"
                    + "<channel-binding type='tls-server-end-point'/></sasl-channel-binding>");
            assertThat(c.readToEnd()).as("the client never authenticates").doesNotContain("<auth");
        });
        StepVerifier.create(client().connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SaslFailureException.class,
                        f -> assertThat(f).hasMessageContaining("downgrade")))
                .verify(TIMEOUT);
    }

    @Test
    void aStreamErrorDuringNegotiationFailsWithItsCondition() {
        serve((plain, socket) -> {
            plain.readUntil(">");
            plain.write(HEADER + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                    + "</stream:error></stream:stream>");
            plain.readToEnd();
        });
        StepVerifier.create(client().connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(StreamErrorException.class,
                        se -> assertThat(se.condition()).isEqualTo(StreamError.Condition.HOST_UNKNOWN)))
                .verify(TIMEOUT);
    }

    @Test
    void malformedXmlFromTheServerIsAnsweredWithNotWellFormed() {
        serve((plain, socket) -> {
            plain.readUntil(">");
            plain.write(HEADER + "<stream:features><a></b></stream:features>");
            assertThat(plain.readToEnd()).contains("not-well-formed");
        });
        StepVerifier.create(client().connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(StreamErrorException.class,
                        se -> assertThat(se.condition()).isEqualTo(StreamError.Condition.NOT_WELL_FORMED)))
                .verify(TIMEOUT);
    }

    @Test
    void keepsTheStreamAliveAndDetectsAServerThatStopsAnswering() {
        serve((plain, socket) -> {
            Conversation c = startTls(plain, socket,
                    "<mechanisms xmlns='" + SASL + "'><mechanism>SCRAM-SHA-1</mechanism></mechanisms>");
            SaslStep last = scramUpToTheProof(c);
            c.write("<success xmlns='" + SASL + "'>" + base64(((SaslStep.Success) last).additionalData())
                    + "</success>");
            c.readUntil(">");
            c.write(HEADER + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
            c.readUntil("</iq>");
            c.write("<iq type='result' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                    + "<jid>alice@localhost/r1</jid></bind></iq>");
            // From here on the server says nothing at all.
            String rest = c.readToEnd();
            assertThat(rest).as("whitespace keepalives while the client had nothing to say").startsWith(" ");
            assertThat(rest).as("a ping after the read timeout").contains("urn:xmpp:ping");
            assertThat(rest).as("then the client gives up on the stream").contains("connection-timeout")
                    .endsWith("</stream:stream>");
        });
        XmppConnection c = client().mechanisms(SaslMechanism.SCRAM_SHA_1)
                .keepalive(Duration.ofMillis(200)).readTimeout(Duration.ofMillis(700))
                .requestTimeout(Duration.ofMillis(500)).connect().block(TIMEOUT);
        assertThat(c).isNotNull();
        assertThat(c.jid().toString()).isEqualTo("alice@localhost/r1");
        StepVerifier.create(c.onClose()).expectError(java.util.concurrent.TimeoutException.class).verify(TIMEOUT);
        StepVerifier.create(c.states()).expectNext(ConnectionState.CLOSED).verifyComplete();
    }

    /**
     * Plays SCRAM-SHA-1's server side for the account "secret" up to the client's proof, with the real server code:
     * reads {@code <auth/>}, answers the challenge, reads the {@code <response/>}; returns the server's verdict.
     */
    private static SaslStep scramUpToTheProof(Conversation c) throws IOException {
        ScramServer scram = new ScramServer(ScramHash.SHA_1, "localhost",
                account -> Mono.just(Credentials.fromPassword("secret")));
        SaslStep first = scram.evaluate(c.readPayload("auth")).block();
        c.write("<challenge xmlns='" + SASL + "'>" + base64(((SaslStep.Challenge) first).data()) + "</challenge>");
        return scram.evaluate(c.readPayload("response")).block();
    }

    private static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    @FunctionalInterface
    private interface ScriptStep {
        void run(Conversation c, Socket socket) throws IOException;
    }

    /** The script's view of a socket: text written, text read up to a marker. */
    private static final class Conversation {
        private final InputStream in;
        private final OutputStream out;
        private final StringBuilder pending = new StringBuilder();

        Conversation(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads until {@code marker} has arrived; returns everything up to and including it. */
        String readUntil(String marker) throws IOException {
            byte[] buf = new byte[4096];
            while (pending.indexOf(marker) < 0) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("closed before " + marker + ": " + pending);
                }
                pending.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            int end = pending.indexOf(marker) + marker.length();
            String text = pending.substring(0, end);
            pending.delete(0, end);
            return text;
        }

        /** The Base64 content of the next {@code <name ...>...</name>} SASL element, decoded. */
        byte[] readPayload(String name) throws IOException {
            String text = readUntil("</" + name + ">");
            String body = text.substring(text.indexOf('>', text.indexOf("<" + name)) + 1, text.lastIndexOf('<'));
            return Base64.getDecoder().decode(body.trim());
        }

        /** Everything until the client closes the connection. */
        String readToEnd() throws IOException {
            byte[] buf = new byte[4096];
            int n;
            try {
                while ((n = in.read(buf)) >= 0) {
                    pending.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // A reset at the end is an end too.
            }
            return pending.toString();
        }
    }
}
