package org.fluxmpp.samples.bridge;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fluxmpp.samples.options.AccountOptions;
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

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** Loopback only: the HTTP API has no authentication of its own. */
    static final String HTTP_HOST = "127.0.0.1";

    @CommandLine.Mixin
    AccountOptions account = new AccountOptions();

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
        System.exit(commandLine(System.getenv(AccountOptions.PASSWORD_ENV)).execute(args));
    }

    static CommandLine commandLine(@Nullable String passwordFromEnv) {
        return AccountOptions.oneLineErrors(new CommandLine(new StanzaBridgeCli(passwordFromEnv)),
                "fluxmpp-stanza-bridge");
    }

    @Override
    public Integer call() {
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("--http-port must be in 0..65535: " + httpPort);
        }
        StanzaBridge bridge = StanzaBridge.connect(account.client(passwordFromEnv)).block();
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

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StanzaBridgeCli.class.getPackage().getImplementationVersion();
            return new String[] {"fluxmpp-stanza-bridge " + (v == null ? "(development)" : v)};
        }
    }
}
