package org.fluxmpp.samples.bridge;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fluxmpp.transport.XmppClient;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * The stanza bridge's command line: logs in, serves {@link BridgeHttp}'s API on 127.0.0.1 until stopped (SIGTERM,
 * Ctrl-C), then closes the XMPP stream. Exit status 0 when stopped, 1 when the connection failed, 2 for bad
 * options.
 */
@Command(name = "fluxmpp-stanza-bridge", mixinStandardHelpOptions = true,
        versionProvider = StanzaBridgeCli.Version.class,
        description = "Streams an XMPP account's messages over HTTP: GET /messages (server-sent events), "
                + "POST /messages?to=JID (the body is sent as a chat message).")
public final class StanzaBridgeCli implements Callable<Integer> {

    /** The environment variable holding the password when no {@code --password-file} is given. */
    static final String PASSWORD_ENV = "FLUXMPP_PASSWORD";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** Loopback only: the HTTP API has no authentication of its own. */
    static final String HTTP_HOST = "127.0.0.1";

    @Option(names = "--jid", required = true, paramLabel = "JID",
            description = "The bridge's account, such as bridge@localhost (a full JID asks for that resource).")
    String jid;

    // The password never comes from an argument: it would show in `ps` and in the shell's history.
    @Option(names = "--password-file", paramLabel = "FILE",
            description = "A file whose first line is the password; default: the environment variable "
                    + PASSWORD_ENV + ".")
    @Nullable Path passwordFile;

    @Option(names = "--host", paramLabel = "HOST",
            description = "The server's host; default: the JID's domain.")
    @Nullable String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5222",
            description = "The port on --host (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--direct-tls", description = "--host:--port speaks TLS at once (XEP-0368), not STARTTLS.")
    boolean directTls;

    @Option(names = "--trust", paramLabel = "PEM",
            description = "Trust exactly the certificates in this PEM file, such as the demo server's "
                    + "DIR/tls/cert.pem; default: the JDK's trust store.")
    @Nullable Path trust;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "The HTTP port on " + HTTP_HOST + " (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int httpPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final @Nullable String passwordFromEnv;

    StanzaBridgeCli(@Nullable String passwordFromEnv) {
        this.passwordFromEnv = passwordFromEnv;
    }

    /** Runs the bridge until it is stopped. */
    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(PASSWORD_ENV)).execute(args));
    }

    static CommandLine commandLine(@Nullable String passwordFromEnv) {
        CommandLine cl = new CommandLine(new StanzaBridgeCli(passwordFromEnv));
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("fluxmpp-stanza-bridge: " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("fluxmpp-stanza-bridge: " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl;
    }

    @Override
    public Integer call() {
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("--http-port must be in 0..65535: " + httpPort);
        }
        StanzaBridge bridge = StanzaBridge.connect(client()).block();
        if (bridge == null) {
            throw new IllegalStateException("no connection");
        }
        DisposableServer http;
        try {
            http = BridgeHttp.bind(bridge, HTTP_HOST, httpPort);
        } catch (RuntimeException e) {
            bridge.close().onErrorResume(x -> Mono.empty()).block(CLOSE_TIMEOUT);
            throw new IllegalStateException("cannot listen on " + HTTP_HOST + ":" + httpPort + ": " + e.getMessage(),
                    e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Bridging %s on http://%s:%d/messages (GET: server-sent events; POST ?to=JID: send).%n",
                bridge.jid(), HTTP_HOST, http.port());
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        // SIGTERM and Ctrl-C run the hooks: stop taking requests, then close the XMPP stream properly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            http.disposeNow(CLOSE_TIMEOUT);
            bridge.close().onErrorResume(e -> Mono.empty()).block(CLOSE_TIMEOUT);
            stopped.countDown();
        }, "stanza-bridge-shutdown"));
        // Ends when the connection ends for good (an error: the exit status says so) or the hook closed it; the
        // server may go away while the hook closes, and that error is no news then.
        bridge.incoming().then().onErrorResume(e -> stopping.get() ? Mono.empty() : Mono.error(e)).block();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The client the options describe. */
    XmppClient client() {
        if (host == null && (directTls || spec.commandLine().getParseResult().hasMatchedOption("--port"))) {
            throw new IllegalArgumentException("--port and --direct-tls need --host");
        }
        XmppClient c = XmppClient.create().jid(jid).credentials(password());
        if (host != null) {
            c = c.host(host).port(port).directTls(directTls);
        }
        if (trust != null) {
            Path pem = trust;
            c = c.secure(tls -> tls.trustCertificates(pem));
        }
        return c;
    }

    /** Read on every connection, so a rotated password file is picked up by the next reconnection. */
    private Mono<String> password() {
        Path file = passwordFile;
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read the password file " + file);
            }
            return Mono.fromCallable(() -> firstLine(file));
        }
        if (passwordFromEnv == null || passwordFromEnv.isEmpty()) {
            throw new IllegalArgumentException("no password: give --password-file or set " + PASSWORD_ENV);
        }
        return Mono.just(passwordFromEnv);
    }

    private static String firstLine(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password file " + file, e);
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StanzaBridgeCli.class.getPackage().getImplementationVersion();
            return new String[] {"fluxmpp-stanza-bridge " + (v == null ? "(development)" : v)};
        }
    }
}
