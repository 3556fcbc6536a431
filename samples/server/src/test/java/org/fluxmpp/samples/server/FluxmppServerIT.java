package org.fluxmpp.samples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnection;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnectionConfiguration;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.websocket.XmppWebSocketTransportModuleDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The packaged demo server, run as people run it ({@code java -jar fluxmpp-server.jar ...}): accounts added with
 * {@code adduser}, a server started on its defaults (but a free port), two Smack clients logging in and chatting,
 * accounts added and removed while it runs, and the command line's failures (exit status 2, one line).
 */
class FluxmppServerIT {

    private static final Path JAR = Path.of("target", "fluxmpp-server.jar");

    @TempDir
    Path work;

    private record Result(int status, String out, String err) {
    }

    private Result cli(String stdin, String... args) throws Exception {
        Process p = process(args);
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Process process(String... args) throws IOException {
        String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = JAR.toAbsolutePath().toString();
        System.arraycopy(args, 0, command, 3, args.length);
        return new ProcessBuilder(command).directory(work.toFile()).start();
    }

    @Test
    void addUserRunLoginChatAndChangeAccountsWhileRunning() throws Exception {
        assertThat(cli("wonderland\n", "adduser", "alice@localhost").status()).isZero();
        assertThat(cli("builder\n", "adduser", "bob@localhost").status()).isZero();
        Path accounts = work.resolve("fluxmpp-data/accounts.txt");
        assertThat(Files.readString(accounts)).startsWith("#").contains("fluxmpp-accounts 1")
                .doesNotContain("wonderland").doesNotContain("builder");

        Process server = process("--port", "0");
        try {
            int port = awaitPort(server.getInputStream());
            X509TrustManager trust = trust(work.resolve("fluxmpp-data/tls/cert.pem"));

            XMPPTCPConnection alice = login(port, trust, "alice", "wonderland", "SCRAM-SHA-1");
            XMPPTCPConnection bob = login(port, trust, "bob", "builder", "PLAIN");
            BlockingQueue<Message> atBob = new ArrayBlockingQueue<>(4);
            bob.addAsyncStanzaListener(s -> atBob.add((Message) s), s -> s instanceof Message);
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@localhost"))
                    .setBody("through the demo server").build());
            Message m = atBob.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.getBody()).isEqualTo("through the demo server");
            alice.disconnect();
            CompletableFuture<Exception> bobEnded = new CompletableFuture<>();
            bob.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    bobEnded.complete(e);
                }
            });

            // The running server sees accounts added and removed by another process within two seconds, and a
            // removed account loses the session it has (Smack hears not-authorized).
            assertThat(cli("carroll\n", "adduser", "carol@localhost").status()).isZero();
            assertThat(cli("", "deluser", "bob@localhost").status()).isZero();
            Exception ended = bobEnded.get(5, TimeUnit.SECONDS);
            assertThat(ended).isInstanceOf(XMPPException.StreamErrorException.class);
            assertThat(((XMPPException.StreamErrorException) ended).getStreamError().getCondition())
                    .isEqualTo(StreamError.Condition.not_authorized);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            boolean carolIn = false;
            boolean bobOut = false;
            while (System.nanoTime() < deadline && !(carolIn && bobOut)) {
                if (!carolIn) {
                    carolIn = canLogIn(port, trust, "carol", "carroll");
                }
                if (!bobOut) {
                    bobOut = !canLogIn(port, trust, "bob", "builder");
                }
            }
            assertThat(carolIn).as("carol, added while running, logs in within 2 s").isTrue();
            assertThat(bobOut).as("bob, removed while running, is refused within 2 s").isTrue();
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theWebSocketPortServesSmacksWebSocketTransport() throws Exception {
        assertThat(cli("wonderland\n", "adduser", "alice@localhost").status()).isZero();
        assertThat(cli("builder\n", "adduser", "bob@localhost").status()).isZero();
        Process server = process("--port", "0", "--websocket-port", "0");
        // Smack's Java 11 WebSocket builds its HttpClient from the default SSLContext, with no trust setting.
        SSLContext previous = SSLContext.getDefault();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            int port = awaitPort(out);
            URI webSocket = URI.create(awaitLine(out, "XMPP over WebSocket: (wss://\\S+)")
                    .replace("127.0.0.1", "localhost"));
            X509TrustManager trust = trust(work.resolve("fluxmpp-data/tls/cert.pem"));
            SSLContext trusting = SSLContext.getInstance("TLS");
            trusting.init(null, new TrustManager[] {trust}, null);
            SSLContext.setDefault(trusting);

            ModularXmppClientToServerConnectionConfiguration.Builder b =
                    ModularXmppClientToServerConnectionConfiguration.builder()
                            .setXmppDomain("localhost")
                            .setUsernameAndPassword("alice", "wonderland")
                            .setResource("browser")
                            .setSendPresence(false);
            b.removeAllModules();
            b.addModule(XmppWebSocketTransportModuleDescriptor.getBuilder(b)
                    .explicitlySetWebSocketEndpointAndDiscovery(webSocket, false).build());
            ModularXmppClientToServerConnection alice = new ModularXmppClientToServerConnection(b.build());
            XMPPTCPConnection bob = login(port, trust, "bob", "builder", "SCRAM-SHA-1");
            try {
                alice.connect().login();
                BlockingQueue<Message> atBob = new ArrayBlockingQueue<>(4);
                bob.addAsyncStanzaListener(s -> atBob.add((Message) s), s -> s instanceof Message);
                alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                        .to(bob.getUser()).setBody("over wss").build());
                Message m = atBob.poll(10, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(m.getBody()).isEqualTo("over wss");
                assertThat(m.getFrom().toString()).isEqualTo("alice@localhost/browser");
            } finally {
                alice.disconnect();
                bob.disconnect();
            }
        } finally {
            SSLContext.setDefault(previous);
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void failuresPrintOneLineAndExitWithTwo() throws Exception {
        Result badOption = cli("", "--no-such-option");
        assertThat(badOption.status()).isEqualTo(2);
        assertThat(badOption.err().strip()).doesNotContain("\n").contains("no-such-option");

        Path notADirectory = Files.writeString(work.resolve("a-file"), "x");
        Result badData = cli("", "run", "--data", notADirectory.toString());
        assertThat(badData.status()).isEqualTo(2);
        assertThat(badData.err().strip()).doesNotContain("\n").contains("cannot use data directory");

        Result unknownAccount = cli("", "deluser", "nobody@localhost");
        assertThat(unknownAccount.status()).isEqualTo(2);
        assertThat(unknownAccount.err().strip()).doesNotContain("\n").contains("no such account");

        Result noPassword = cli("", "adduser", "dora@localhost");
        assertThat(noPassword.status()).isEqualTo(2);

        Process first = process("--port", "0", "--data", "first");
        try {
            int port = awaitPort(first.getInputStream());
            Result taken = cli("", "--port", Integer.toString(port), "--data", "second");
            assertThat(taken.status()).isEqualTo(2);
            assertThat(taken.err().strip()).doesNotContain("\n").contains("cannot listen on");
        } finally {
            first.destroy();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void batchAddsManyAccounts() throws Exception {
        Result r = cli("ann@localhost:one\nben@localhost:two\n\ncat@localhost:three\n", "adduser", "--batch");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Added 3 accounts.");
        assertThat(Files.readString(work.resolve("fluxmpp-data/accounts.txt")))
                .contains("ann@localhost SCRAM-SHA-256").contains("ben@localhost").contains("cat@localhost");
    }

    private static int awaitPort(InputStream stdout) throws IOException {
        return awaitPort(new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8)));
    }

    private static int awaitPort(BufferedReader lines) throws IOException {
        return Integer.parseInt(awaitLine(lines, "serving \\S+ on [^:]+:(\\d+)"));
    }

    /** Reads the server's output up to the line that matches, and returns the pattern's first group. */
    private static String awaitLine(BufferedReader lines, String pattern) throws IOException {
        Pattern p = Pattern.compile(pattern);
        for (String line; (line = lines.readLine()) != null; ) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new IOException("the server ended without printing " + pattern);
    }

    private static X509TrustManager trust(Path certificatePem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            ks.setCertificateEntry("demo", (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }

    private static XMPPTCPConnection login(int port, X509TrustManager trust, String user, String password,
                                           String mechanism) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost")
                .setHost("127.0.0.1")
                .setPort(port)
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(trust)
                .setUsernameAndPassword(user, password)
                .addEnabledSaslMechanism(mechanism)
                .setSendPresence(false)
                .build());
        c.connect().login();
        return c;
    }

    private static boolean canLogIn(int port, X509TrustManager trust, String user, String password)
            throws Exception {
        try {
            login(port, trust, user, password, "SCRAM-SHA-1").disconnect();
            return true;
        } catch (SASLErrorException e) {
            return false;
        }
    }
}
