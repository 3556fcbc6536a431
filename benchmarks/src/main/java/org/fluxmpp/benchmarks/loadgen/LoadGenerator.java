package org.fluxmpp.benchmarks.loadgen;

import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code fluxmpp-loadgen}: the load generator's command line. Each subcommand runs one scenario against any XMPP
 * server over TCP ({@code logins}, {@code chat}, {@code idle}), or against the load generator's own relay
 * ({@code echo}), printing a progress line every second, a summary at the end, and the results as JSON with
 * {@code --json}. {@code report} turns a comparison's JSON files into charts and a Markdown table;
 * {@code provision} writes accounts in each server's bulk format.
 *
 * <pre>
 * java -jar benchmarks/target/fluxmpp-loadgen.jar chat --port 5222 --domain localhost --accounts 1000 \
 *     --password secret --pairs 100 --rate 20000 --duration 20 --json chat.json
 * </pre>
 */
@Command(name = "fluxmpp-loadgen", mixinStandardHelpOptions = true,
        description = "An XMPP load generator: logins/s, message throughput and latency, memory per idle session.",
        subcommands = {LoadGenerator.Logins.class, LoadGenerator.Chat.class, LoadGenerator.Idle.class,
            LoadGenerator.Echo.class, Report.class, Provision.class})
public final class LoadGenerator {

    /** Exit status when a run fails (a server that refuses logins, a bad option). */
    static final int FAILURE = 2;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LoadGenerator() {
    }

    /** Runs the command line. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cl = new CommandLine(LoadGenerator.class);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("fluxmpp-loadgen: " + ex);
            return FAILURE;
        });
        return cl.execute(args);
    }

    /** The options every scenario shares: the server, the accounts, the client's resources, the output. */
    static final class Common {
        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "Server address (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--port", defaultValue = "5222", description = "Server port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--domain", defaultValue = "localhost",
                description = "XMPP domain (default: ${DEFAULT-VALUE}).")
        String domain;

        @Option(names = "--account-pattern", defaultValue = "bench%d",
                description = "Localpart pattern with one %%d (default: ${DEFAULT-VALUE}).")
        String accountPattern;

        @Option(names = "--accounts", defaultValue = "100",
                description = "Accounts 0..N-1; connection i uses account i mod N (default: ${DEFAULT-VALUE}).")
        int accounts;

        @Option(names = "--password", defaultValue = "bench-password",
                description = "Every account's password (default: ${DEFAULT-VALUE}).")
        String password;

        @Option(names = "--mechanism", defaultValue = "SCRAM-SHA-1",
                description = "SCRAM-SHA-1, SCRAM-SHA-256 or PLAIN (default: ${DEFAULT-VALUE}).")
        String mechanism;

        @Option(names = "--sources", split = ",", description = "Local addresses to connect from, in turn "
                + "(e.g. 127.0.0.1,127.0.0.2; default: any).")
        List<String> sources = new ArrayList<>();

        @Option(names = "--threads", defaultValue = "2",
                description = "Event loop threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--json", description = "Write the results to this JSON file.")
        @Nullable Path json;

        @Option(names = "--tag", description = "KEY=VALUE written into the results (repeatable).")
        Map<String, String> tags = new LinkedHashMap<>();

        @Option(names = "--server-pid", description = "The server's process id: its VmRSS is read and reported.")
        @Nullable Long serverPid;

        List<InetAddress> sourceAddresses() throws UnknownHostException {
            List<InetAddress> out = new ArrayList<>();
            for (String s : sources) {
                out.add(InetAddress.getByName(s.strip()));
            }
            return out;
        }
    }

    /** Runs one scenario with the shared setup, progress, summary and JSON. */
    /** The measuring window shared by the timed scenarios. */
    static final class Timing {
        @Option(names = "--warmup", defaultValue = "2",
                description = "Seconds not measured (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--duration", defaultValue = "10",
                description = "Seconds measured (default: ${DEFAULT-VALUE}).")
        int duration;

        Duration warmupTime() {
            return Duration.ofSeconds(warmup);
        }

        Duration durationTime() {
            return Duration.ofSeconds(duration);
        }
    }

    abstract static class ScenarioCommand implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        abstract String name();

        abstract Map<String, Object> settings();

        abstract Map<String, Object> run(LoadContext ctx) throws Exception;

        @Nullable InetSocketAddress serverOverride() {
            return null;
        }

        SaslMechanism mechanism() {
            return SaslMechanism.fromName(common.mechanism);
        }

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            EventLoopGroup loops = Transport.loops(common.threads);
            try {
                InetSocketAddress server = serverOverride();
                if (server == null) {
                    server = new InetSocketAddress(common.host, common.port);
                }
                Counters counters = new Counters();
                C2sLoginClient client = new C2sLoginClient(loops, Transport.channelType(), Transport.clientTls(),
                        common.domain, mechanism());
                LoadContext ctx = new LoadContext(server, common.domain, common.accountPattern, common.accounts,
                        common.password, common.sourceAddresses(), loops, client, counters, out);
                out.printf("fluxmpp-loadgen %s against %s (%s), %s, %s%n", name(), server, common.domain,
                        mechanism().mechanismName(), Transport.describe());
                Instant started = Instant.now();
                ScheduledExecutorService progress = counters.printEverySecond(out);
                Map<String, Object> result;
                try {
                    result = run(ctx);
                } finally {
                    progress.shutdownNow();
                }
                if (common.serverPid != null && !result.containsKey("rss_after_kib")) {
                    result.put("server_rss_kib", IdleScenario.vmRssKiB(common.serverPid));
                }
                result.put("errors", counters.errors.sum());
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("scenario", name());
                doc.put("tags", common.tags);
                doc.put("started", started.toString());
                doc.put("target", server.getHostString() + ":" + server.getPort());
                doc.put("domain", common.domain);
                doc.put("mechanism", mechanism().mechanismName());
                doc.put("loadgen", Transport.describe() + ", " + common.threads + " threads");
                doc.put("settings", settings());
                doc.put("result", result);
                printSummary(out, name(), result);
                if (common.json != null) {
                    JSON.writerWithDefaultPrettyPrinter().writeValue(common.json.toFile(), doc);
                    out.println("results: " + common.json);
                }
                return 0;
            } finally {
                Transport.shutdown(loops);
            }
        }
    }

    static void printSummary(PrintStream out, String title, Map<String, Object> result) {
        out.println();
        out.println("== " + title + " ==");
        print(out, "", result);
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintStream out, String prefix, Map<String, Object> m) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> nested) {
                print(out, prefix + e.getKey() + ".", (Map<String, Object>) nested);
            } else {
                out.printf("  %-32s %s%n", prefix + e.getKey(), e.getValue());
            }
        }
    }

    /** {@code logins}. */
    @Command(name = "logins", mixinStandardHelpOptions = true,
            description = "Connect, STARTTLS, authenticate, bind, close, with N in flight: logins/s and latency.")
    static final class Logins extends ScenarioCommand {
        @Option(names = "--in-flight", defaultValue = "16",
                description = "Logins under way (default: ${DEFAULT-VALUE}).")
        int inFlight;

        @Mixin
        Timing timing;

        @Override
        String name() {
            return "logins";
        }

        @Override
        Map<String, Object> settings() {
            return new LinkedHashMap<>(Map.of("in_flight", inFlight, "warmup_s", timing.warmup, "duration_s", timing.duration,
                    "accounts", common.accounts));
        }

        @Override
        Map<String, Object> run(LoadContext ctx) throws Exception {
            return new LoginsScenario(inFlight, timing.warmupTime(), timing.durationTime()).run(ctx);
        }
    }

    /** {@code chat}. */
    @Command(name = "chat", mixinStandardHelpOptions = true,
            description = "Pairs of sessions exchange messages, open loop at --rate or closed loop (--rate 0).")
    static class Chat extends ScenarioCommand {
        @Option(names = "--pairs", defaultValue = "50", description = "Pairs of sessions (default: ${DEFAULT-VALUE}).")
        int pairs;

        @Option(names = "--rate", defaultValue = "0",
                description = "Total messages/s (open loop); 0: closed loop (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--window", defaultValue = "8",
                description = "Closed loop: messages on their way per direction (default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--max-unanswered", defaultValue = "10000",
                description = "Open loop: messages on their way per direction at most (default: ${DEFAULT-VALUE}).")
        int maxUnanswered;

        @Option(names = "--body-bytes", defaultValue = "64",
                description = "Padding in each body (default: ${DEFAULT-VALUE}).")
        int bodyBytes;

        @Option(names = "--logins-in-flight", defaultValue = "16",
                description = "Logins under way while the sessions open (default: ${DEFAULT-VALUE}).")
        int loginsInFlight;

        @Mixin
        Timing timing;

        @Override
        String name() {
            return "chat";
        }

        @Override
        Map<String, Object> settings() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("pairs", pairs);
            s.put("rate", rate);
            s.put("window", window);
            s.put("body_bytes", bodyBytes);
            s.put("warmup_s", timing.warmup);
            s.put("duration_s", timing.duration);
            s.put("accounts", common.accounts);
            return s;
        }

        @Override
        Map<String, Object> run(LoadContext ctx) throws Exception {
            return new ChatScenario(new ChatScenario.Settings(pairs, rate, window, maxUnanswered, bodyBytes,
                    timing.warmupTime(), timing.durationTime(), loginsInFlight)).run(ctx);
        }
    }

    /** {@code idle}. */
    @Command(name = "idle", mixinStandardHelpOptions = true,
            description = "Open N sessions and hold them: the server's VmRSS growth per session (--server-pid).")
    static final class Idle extends ScenarioCommand {
        @Option(names = "--connections", defaultValue = "1000", description = "Sessions (default: ${DEFAULT-VALUE}).")
        int connections;

        @Option(names = "--logins-in-flight", defaultValue = "32",
                description = "Logins under way (default: ${DEFAULT-VALUE}).")
        int loginsInFlight;

        @Option(names = "--warmup-logins", defaultValue = "200",
                description = "Logins done and closed before the first reading (default: ${DEFAULT-VALUE}).")
        int warmupLogins;

        @Option(names = "--hold", defaultValue = "10",
                description = "Seconds idle before the second reading (default: ${DEFAULT-VALUE}).")
        int hold;

        @Override
        String name() {
            return "idle";
        }

        @Override
        Map<String, Object> settings() {
            return new LinkedHashMap<>(Map.of("connections", connections, "hold_s", hold,
                    "warmup_logins", warmupLogins, "accounts", common.accounts, "sources", common.sources.size()));
        }

        @Override
        Map<String, Object> run(LoadContext ctx) throws Exception {
            return new IdleScenario(connections, loginsInFlight, warmupLogins, Duration.ofSeconds(hold),
                    common.serverPid).run(ctx);
        }
    }

    /**
     * {@code echo}: the chat scenario (and a logins run) against the load generator's own relay in this process, to
     * show the load generator's ceiling.
     */
    @Command(name = "echo", mixinStandardHelpOptions = true,
            description = "Self-test: chat and logins against the built-in relay (PLAIN), to show the ceiling.")
    static final class Echo extends Chat {
        @Option(names = "--server-threads", defaultValue = "1",
                description = "The relay's event loop threads (default: ${DEFAULT-VALUE}).")
        int serverThreads;

        @Option(names = "--in-flight", defaultValue = "16",
                description = "Logins under way in the logins part (default: ${DEFAULT-VALUE}).")
        int inFlight;

        private @Nullable EchoServer relay;

        @Override
        String name() {
            return "echo";
        }

        @Override
        SaslMechanism mechanism() {
            return SaslMechanism.PLAIN;
        }

        @Override
        @Nullable InetSocketAddress serverOverride() {
            return relay == null ? null : relay.address();
        }

        @Override
        public Integer call() throws Exception {
            EventLoopGroup relayLoops = Transport.loops(serverThreads);
            try (EchoServer r = EchoServer.start(relayLoops, common.domain)) {
                relay = r;
                return super.call();
            } finally {
                Transport.shutdown(relayLoops);
            }
        }

        @Override
        Map<String, Object> run(LoadContext ctx) throws Exception {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("chat", super.run(ctx));
            r.put("logins", new LoginsScenario(inFlight, timing.warmupTime(), timing.durationTime())
                    .run(ctx));
            return r;
        }
    }
}
