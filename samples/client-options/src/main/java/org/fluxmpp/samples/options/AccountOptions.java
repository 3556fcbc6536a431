package org.fluxmpp.samples.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fluxmpp.transport.XmppClient;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import reactor.core.publisher.Mono;

/**
 * The options of a client sample's command line, as a picocli mixin: the account ({@code --jid}), its password
 * ({@code --password-file} or the environment variable {@value #PASSWORD_ENV}, never an argument), and where the
 * server is and whom to trust ({@code --host}, {@code --port}, {@code --direct-tls}, {@code --trust}).
 *
 * <pre>{@code
 * @Command(name = "my-bot") class MyBot implements Callable<Integer> {
 *     @CommandLine.Mixin AccountOptions account = new AccountOptions();
 *     public Integer call() { XmppClient client = account.client(System.getenv(AccountOptions.PASSWORD_ENV)); ... }
 * }
 * CommandLine cl = AccountOptions.oneLineErrors(new CommandLine(new MyBot()), "my-bot");
 * }</pre>
 */
public final class AccountOptions {

    /** The environment variable holding the password when no {@code --password-file} is given: {@value}. */
    public static final String PASSWORD_ENV = "FLUXMPP_PASSWORD";

    @Option(names = "--jid", required = true, paramLabel = "JID",
            description = "The account, such as bot@localhost (a full JID asks for that resource).")
    @Nullable String jid;

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

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.@Nullable CommandSpec command;

    /**
     * The client the options describe.
     *
     * @param passwordFromEnv the value of {@value #PASSWORD_ENV}, used when no {@code --password-file} is given
     * @throws IllegalArgumentException for {@code --port} or {@code --direct-tls} without {@code --host}, an
     *                                  unreadable password file, or no password at all
     */
    public XmppClient client(@Nullable String passwordFromEnv) {
        boolean portGiven = command != null && command.commandLine().getParseResult().hasMatchedOption("--port");
        if (host == null && (directTls || portGiven)) {
            throw new IllegalArgumentException("--port and --direct-tls need --host");
        }
        XmppClient c = XmppClient.create().jid(String.valueOf(jid)).credentials(password(passwordFromEnv));
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
    Mono<String> password(@Nullable String passwordFromEnv) {
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

    /**
     * Makes a command line report its failures in one line prefixed with {@code name}: status 2 for bad options
     * (and {@link IllegalArgumentException}s from running), 1 for any other failure.
     */
    public static CommandLine oneLineErrors(CommandLine cl, String name) {
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println(name + ": " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(name + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl;
    }
}
