package org.fluxmpp.samples.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.Disposable;

/**
 * The Fluxmpp demo server's command line, in the manner of {@code prosodyctl}: {@code run} (the default),
 * {@code adduser} and {@code deluser}. Every failure prints one line and exits with status 2.
 */
@Command(name = "fluxmpp-server", mixinStandardHelpOptions = true, versionProvider = FluxmppServerCli.Version.class,
        description = "A Fluxmpp XMPP server: run it, and manage its accounts.",
        subcommands = {FluxmppServerCli.Run.class, FluxmppServerCli.AddUser.class, FluxmppServerCli.DelUser.class})
public final class FluxmppServerCli {

    /** Exit status of every failure: a bad option, an unusable data directory, a taken port. */
    static final int FAILURE = 2;
    static final String ACCOUNTS_FILE = "accounts.txt";

    private FluxmppServerCli() {
    }

    /** Runs the command line; {@code run} is the subcommand when none is named. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(withDefaultSubcommand(cl, args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(FluxmppServerCli.class);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("fluxmpp-server: " + ex.getMessage());
            return FAILURE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("fluxmpp-server: " + oneLine(ex));
            return FAILURE;
        });
        return cl;
    }

    private static String[] withDefaultSubcommand(CommandLine cl, String[] args) {
        if (args.length > 0 && (cl.getSubcommands().containsKey(args[0]) || args[0].equals("-h")
                || args[0].equals("--help") || args[0].equals("-V") || args[0].equals("--version"))) {
            return args;
        }
        String[] withRun = new String[args.length + 1];
        withRun[0] = "run";
        System.arraycopy(args, 0, withRun, 1, args.length);
        return withRun;
    }

    static String oneLine(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.toString() : t.getMessage();
        return msg.replace('\n', ' ');
    }

    /** Options shared by every subcommand. */
    static final class DataOption {
        @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: ${DEFAULT-VALUE}).",
                defaultValue = "./fluxmpp-data")
        Path data;

        Path dir() {
            return data.toAbsolutePath().normalize();
        }

        /** Creates the directory when missing; fails with a clear message when it cannot be used. */
        Path ready() {
            try {
                Files.createDirectories(data);
            } catch (java.nio.file.FileSystemException e) {
                throw new IllegalStateException("cannot use data directory " + data + ": "
                        + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot use data directory " + data + ": " + oneLine(e));
            }
            if (!Files.isDirectory(data) || !Files.isWritable(data)) {
                throw new IllegalStateException("cannot use data directory " + data + ": not a writable directory");
            }
            return data;
        }

        FileCredentialStore store() {
            return FileCredentialStore.open(ready().resolve(ACCOUNTS_FILE));
        }
    }

    /** {@code run}: starts the server and serves until interrupted. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the server (the default command).")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        DataOption data = new DataOption();

        @Option(names = "--domain", paramLabel = "DOMAIN", defaultValue = "localhost",
                description = "The XMPP domain to serve (default: ${DEFAULT-VALUE}).")
        String domain;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "5222",
                description = "The client-to-server port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
        int port;

        @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
                description = "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
        String host;

        @Option(names = "--websocket-port", paramLabel = "PORT",
                description = "Also serve XMPP over WebSocket (RFC 7395: wss with the same certificate, path "
                        + XmppServer.DEFAULT_WEBSOCKET_PATH + ") on this port; off unless set (0 picks a free one).")
        @Nullable Integer webSocketPort;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be in 0..65535: " + port);
            }
            Integer wsPort = webSocketPort;
            if (wsPort != null && (wsPort < 0 || wsPort > 65535)) {
                throw new IllegalArgumentException("--websocket-port must be in 0..65535: " + wsPort);
            }
            Path dir = data.ready();
            FileCredentialStore store = data.store();
            ServerTls tls = certificate(dir, domain);
            XmppServer config = XmppServer.create()
                    .domain(domain)
                    .host(host)
                    .port(port)
                    .secure(tls)
                    .authentication(sasl -> sasl.credentials(store))
                    .router(XmppRouter.create().domain(domain).accounts(store::exists));
            if (wsPort != null) {
                config = config.webSocketPort(wsPort);
            }
            BoundXmppServer server;
            try {
                server = config.bindNow();
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + oneLine(e), e);
            }
            Disposable watching = store.watch(Duration.ofSeconds(1));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                watching.dispose();
                server.disposeNow(Duration.ofSeconds(5));
                stopped.countDown();
            }, "fluxmpp-shutdown"));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Fluxmpp is serving %s on %s:%d (STARTTLS required; SCRAM-SHA-512/256/1 with and without "
                    + "-PLUS, PLAIN).%n", domain,
                    host, server.port());
            if (server.webSocketPort() >= 0) {
                out.printf("XMPP over WebSocket: wss://%s:%d%s%n", host, server.webSocketPort(),
                        XmppServer.DEFAULT_WEBSOCKET_PATH);
            }
            out.printf("Data: %s (accounts: %d). Certificate: %s (self-signed).%n", data.dir(),
                    store.accounts().size(), data.dir().resolve("tls/cert.pem"));
            out.printf("Add an account: java -jar fluxmpp-server.jar adduser --data %s alice@%s "
                    + "(then type the password)%n", dir, domain);
            out.printf("Then log in with any XMPP client as alice@%s, server %s, port %d, accepting the "
                    + "self-signed certificate.%n", domain, host, server.port());
            out.flush();
            stopped.await();
            return 0;
        }

        /** The certificate in {@code DIR/tls}, generated (self-signed, ECDSA P-256) on first start. */
        static ServerTls certificate(Path dir, String domain) throws IOException {
            Path tlsDir = dir.resolve("tls");
            Path cert = tlsDir.resolve("cert.pem");
            Path key = tlsDir.resolve("key.pem");
            if (!Files.exists(cert) || !Files.exists(key)) {
                Files.createDirectories(tlsDir);
                ServerTls.writeSelfSigned(domain, cert, key);
            }
            return ServerTls.pem(cert, key);
        }
    }

    /** {@code adduser}: adds or replaces an account; the password comes from standard input. */
    @Command(name = "adduser", mixinStandardHelpOptions = true,
            description = "Add or replace an account. Reads the password from standard input (one line), or with "
                    + "--batch one 'jid:password' line per account.")
    static final class AddUser implements Callable<Integer> {
        @CommandLine.Mixin
        DataOption data = new DataOption();

        @Option(names = "--batch", description = "Read 'jid:password' lines from standard input.")
        boolean batch;

        @Parameters(paramLabel = "JID", arity = "0..1", description = "The account, such as alice@localhost.")
        String jid;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            FileCredentialStore store = data.store();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (batch) {
                List<String[]> accounts = new ArrayList<>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    int colon = line.indexOf(':');
                    if (colon < 0) {
                        throw new IllegalArgumentException("expected 'jid:password', found '" + line + "'");
                    }
                    accounts.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
                }
                for (String[] a : accounts) {
                    store.put(account(a[0]), credentials(a[1]));
                }
                spec.commandLine().getOut().println("Added " + accounts.size() + " accounts.");
                return 0;
            }
            if (jid == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'JID'");
            }
            BareJid account = account(jid);
            String password = in.readLine();
            if (password == null) {
                throw new IllegalArgumentException("no password on standard input");
            }
            store.put(account, credentials(password));
            spec.commandLine().getOut().println("Added " + account + ".");
            return 0;
        }
    }

    /** {@code deluser}: removes an account. */
    @Command(name = "deluser", mixinStandardHelpOptions = true, description = "Remove an account.")
    static final class DelUser implements Callable<Integer> {
        @CommandLine.Mixin
        DataOption data = new DataOption();

        @Parameters(paramLabel = "JID", description = "The account, such as alice@localhost.")
        String jid;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BareJid account = account(jid);
            if (!data.store().remove(account)) {
                throw new IllegalArgumentException("no such account: " + account);
            }
            spec.commandLine().getOut().println("Removed " + account + ".");
            return 0;
        }
    }

    static BareJid account(String jid) {
        BareJid account;
        try {
            account = BareJid.parse(jid);
        } catch (JidFormatException e) {
            throw new IllegalArgumentException("invalid JID: " + e.getMessage(), e);
        }
        if (account.localpart() == null) {
            throw new IllegalArgumentException("an account needs a localpart, like alice@" + account.domainpart());
        }
        return account;
    }

    static Credentials credentials(String password) {
        try {
            return Credentials.fromPassword(password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unusable password: " + e.getMessage(), e);
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FluxmppServerCli.class.getPackage().getImplementationVersion();
            return new String[] {"fluxmpp-server " + (v == null ? "(development)" : v)};
        }
    }
}
