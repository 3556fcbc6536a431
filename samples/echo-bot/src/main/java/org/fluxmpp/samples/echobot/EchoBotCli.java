package org.fluxmpp.samples.echobot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fluxmpp.transport.XmppClient;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Mono;

/**
 * The echo bot's command line: logs in and answers until stopped (SIGTERM, Ctrl-C), closing its stream on the way
 * out. Exit status 0 when stopped, 1 when the connection failed for good, 2 for bad options.
 */
@Command(name = "fluxmpp-echo-bot", mixinStandardHelpOptions = true, versionProvider = EchoBotCli.Version.class,
        description = "An XMPP bot that answers every chat or normal message with its own body.")
public final class EchoBotCli implements Callable<Integer> {

    /** The environment variable holding the password when no {@code --password-file} is given. */
    static final String PASSWORD_ENV = "FLUXMPP_PASSWORD";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--jid", required = true, paramLabel = "JID",
            description = "The bot's account, such as bot@localhost (a full JID asks for that resource).")
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final @Nullable String passwordFromEnv;

    EchoBotCli(@Nullable String passwordFromEnv) {
        this.passwordFromEnv = passwordFromEnv;
    }

    /** Runs the bot until it is stopped. */
    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(PASSWORD_ENV)).execute(args));
    }

    static CommandLine commandLine(@Nullable String passwordFromEnv) {
        CommandLine cl = new CommandLine(new EchoBotCli(passwordFromEnv));
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("fluxmpp-echo-bot: " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("fluxmpp-echo-bot: " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl;
    }

    @Override
    public Integer call() {
        EchoBot bot = EchoBot.start(client());
        // SIGTERM and Ctrl-C run the hooks: close the stream properly before the JVM goes.
        Thread hook = new Thread(() -> bot.disposeNow(CLOSE_TIMEOUT), "echo-bot-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        bot.onClose().block();
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
            String v = EchoBotCli.class.getPackage().getImplementationVersion();
            return new String[] {"fluxmpp-echo-bot " + (v == null ? "(development)" : v)};
        }
    }
}
