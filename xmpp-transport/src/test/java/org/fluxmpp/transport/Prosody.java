package org.fluxmpp.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.fluxmpp.testing.TrustedTls;
import org.jspecify.annotations.Nullable;

/**
 * A real Prosody 0.12 server (Debian's package) as a peer for tests: a complete configuration in a temporary
 * directory, a self-signed certificate for the domain, accounts registered with {@code prosodyctl}, and the server
 * run as a child process on free loopback ports.
 *
 * <pre>{@code
 * try (Prosody prosody = Prosody.create().register("alice", "wonderland").start()) {
 *     // connect to 127.0.0.1:prosody.port() as alice@localhost, trusting prosody.trustManager()
 *     prosody.stop();
 *     prosody.start();                                   // same ports, same accounts
 * }
 * }</pre>
 *
 * <p>What the configuration chooses, and why: STARTTLS required ({@code c2s_require_encryption}); accounts stored
 * as SCRAM-SHA-1 keys ({@code internal_hashed}: Prosody 0.12 then offers SCRAM-SHA-1 and PLAIN, and
 * SCRAM-SHA-1-PLUS only under TLS 1.2, as its channel binding is {@code tls-unique}); no server-to-server port, no
 * offline storage or archive (a message to an absent user is an error, not kept); no rate limits (mod_limits not
 * loaded). A direct TLS port (XEP-0368) is open too.
 */
final class Prosody implements AutoCloseable {

    static final Path PROSODY = Path.of("/usr/bin/prosody");
    static final Path PROSODYCTL = Path.of("/usr/bin/prosodyctl");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration PROSODYCTL_TIMEOUT = Duration.ofSeconds(30);

    private final String domain;
    private final Path dir;
    private final Path config;
    private final Path log;
    private final Path output;
    private final Path pidfile;
    private final Path certificatePath;
    private final X509Certificate certificate;
    private final int port;
    private final int directTlsPort;
    private @Nullable Process process;
    private @Nullable Thread reaper;

    private Prosody(String domain, Path dir, int port, int directTlsPort, String extraConfig) throws IOException {
        this.domain = domain;
        this.dir = dir;
        this.port = port;
        this.directTlsPort = directTlsPort;
        this.config = dir.resolve("prosody.cfg.lua");
        this.log = dir.resolve("prosody.log");
        this.output = dir.resolve("prosody.out");
        this.pidfile = dir.resolve("prosody.pid");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.createDirectories(dir.resolve("data"));
        // Prosody's own naming (<host>.crt / <host>.key) in its certificate directory, so that its automatic
        // lookup finds the same pair the explicit ssl settings name.
        this.certificatePath = certs.resolve(domain + ".crt");
        Path key = certs.resolve(domain + ".key");
        // The development certificate of the server issue: ECDSA P-256, the domain as CN and DNS subjectAltName,
        // PEM with a PKCS#8 key, which LuaSec (OpenSSL) reads as it is.
        ServerTls.writeSelfSigned(domain, certificatePath, key);
        try (var in = Files.newInputStream(certificatePath)) {
            this.certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("cannot read back " + certificatePath, e);
        }
        Files.writeString(config, configuration(certs, key, extraConfig));
    }

    /** A Prosody for {@code localhost}, configured but not started. */
    static Prosody create() {
        return create("localhost", "");
    }

    /**
     * A Prosody for this domain, configured but not started.
     *
     * @param extraConfig Lua lines added to the global section (after the fixture's own, so they win)
     */
    static Prosody create(String domain, String extraConfig) {
        try {
            Peers.ensureProsody();
            Path dir = Files.createTempDirectory("fluxmpp-prosody");
            return new Prosody(domain, dir, freePort(), freePort(), extraConfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String configuration(Path certs, Path key, String extraConfig) {
        return String.join("\n",
                "-- Prosody 0.12 configuration written by Fluxmpp's test fixture (Prosody.java).",
                "",
                "-- Tests run as root on disposable machines; mod_posix refuses root unless told.",
                "run_as_root = true",
                "pidfile = " + lua(pidfile),
                "data_path = " + lua(dir.resolve("data")),
                "certificates = " + lua(certs),
                "log = { warn = " + lua(log) + " }",
                "",
                "-- Loopback only, on ports the fixture chose; no server-to-server listener.",
                "interfaces = { \"127.0.0.1\" }",
                "local_interfaces = { \"127.0.0.1\" }",
                "c2s_ports = { " + port + " }",
                "c2s_interfaces = { \"127.0.0.1\" }",
                "c2s_direct_tls_ports = { " + directTlsPort + " }",
                "c2s_direct_tls_interfaces = { \"127.0.0.1\" }",
                "legacy_ssl_ports = { }",
                "s2s_ports = { }",
                "s2s_direct_tls_ports = { }",
                "",
                "c2s_require_encryption = true",
                "s2s_require_encryption = true",
                "authentication = \"internal_hashed\"",
                "storage = \"internal\"",
                "",
                "-- Only what a client test needs. Always loaded by Prosody itself: presence, message, iq, c2s, s2s,",
                "-- posix; offline storage is switched off so a message to an absent user is not kept for later.",
                "-- mod_limits (rate limits) is not loaded, so tests are never throttled.",
                "modules_enabled = { \"roster\", \"saslauth\", \"tls\", \"disco\", \"ping\" }",
                "modules_disabled = { \"offline\" }",
                "",
                "ssl = { certificate = " + lua(certificatePath) + ", key = " + lua(key) + " }",
                "",
                extraConfig.isBlank() ? "-- (no extra settings)" : extraConfig,
                "",
                "VirtualHost " + lua(domain),
                "  ssl = { certificate = " + lua(certificatePath) + ", key = " + lua(key) + " }",
                "");
    }

    /**
     * Registers an account (its SCRAM-SHA-1 keys are stored) with {@code prosodyctl}; works whether Prosody runs
     * or not, as the internal store is read at each login.
     *
     * @throws IllegalStateException when prosodyctl fails, with its output
     */
    Prosody register(String user, String password) {
        Path out = dir.resolve("prosodyctl.out");
        try {
            Process p = new ProcessBuilder(PROSODYCTL.toString(), "--config", config.toString(),
                    "register", user, domain, password)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(PROSODYCTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("prosodyctl register " + user + " hung:\n" + read(out));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("prosodyctl register " + user + " exited with " + p.exitValue()
                        + ":\n" + read(out));
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts Prosody in the foreground as a child process and waits until its client port accepts connections.
     *
     * @throws IllegalStateException when it is already running, exits, or does not listen in time (with its log)
     */
    synchronized Prosody start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Prosody is already running, pid " + process.pid());
        }
        try {
            // -F: stay in the foreground, so the process started is the server and its pid is the one to signal.
            process = new ProcessBuilder(PROSODY.toString(), "--config", config.toString(), "-F")
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + PROSODY, e);
        }
        // A test JVM that dies without close() must not leave a server behind holding the port.
        Process started = process;
        reaper = new Thread(() -> started.destroyForcibly(), "prosody-reaper-" + started.pid());
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException("Prosody exited with " + started.exitValue() + diagnostics());
                }
                if (logSays("Failed to open server port")) {
                    throw new IllegalStateException("Prosody could not listen" + diagnostics());
                }
                return accepts(port) && accepts(directTlsPort);
            });
            return this;
        } catch (ConditionTimeoutException e) {
            stop();
            throw new IllegalStateException("Prosody did not listen on port " + port + " within " + START_TIMEOUT
                    + diagnostics(), e);
        } catch (IllegalStateException e) {
            stop();
            throw e;
        }
    }

    /**
     * Stops Prosody by its process id: SIGTERM (it closes its streams and exits), then SIGKILL if it is still there
     * after a grace period. Does nothing when it is not running.
     */
    synchronized void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        if (reaper != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: it kills the process anyway.
            }
            reaper = null;
        }
        ProcessHandle handle = ProcessHandle.of(p.pid()).orElse(null);
        try {
            if (handle != null && handle.isAlive()) {
                handle.destroy();
                if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    handle.destroyForcibly();
                    p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the Prosody process is running. */
    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id of the running Prosody. */
    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("Prosody is not running");
        }
        return process.pid();
    }

    /** The STARTTLS client port on 127.0.0.1 (the same across {@link #stop()} and {@link #start()}). */
    int port() {
        return port;
    }

    /** The direct TLS client port on 127.0.0.1 (XEP-0368; ALPN {@code xmpp-client} accepted). */
    int directTlsPort() {
        return directTlsPort;
    }

    /** The XMPP domain Prosody serves. */
    String domain() {
        return domain;
    }

    /** The self-signed certificate Prosody presents. */
    X509Certificate certificate() {
        return certificate;
    }

    /** The certificate as a PEM file, for clients that read a CA file. */
    Path certificatePath() {
        return certificatePath;
    }

    /** Trusts exactly Prosody's certificate. */
    X509TrustManager trustManager() {
        return TrustedTls.trusting(certificate);
    }

    /** A TLS context that trusts exactly Prosody's certificate. */
    SSLContext sslContext() {
        return TrustedTls.sslContext(trustManager());
    }

    /** The directory holding the configuration, data, certificate and logs. */
    Path directory() {
        return dir;
    }

    /** Prosody's log (warnings and errors) and console output so far, for assertion messages. */
    String log() {
        return "--- " + log + "\n" + read(log) + "--- " + output + "\n" + read(output);
    }

    /** Stops Prosody and deletes its directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path f : all) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "Prosody[" + domain + " on 127.0.0.1:" + port + ", " + dir + "]";
    }

    private String diagnostics() {
        return "\nconfiguration " + config + "\n" + log();
    }

    private boolean logSays(String text) {
        return read(log).contains(text);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free now on loopback: bound to port 0, then released for Prosody to take. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    /** A Lua string literal. */
    private static String lua(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

}
