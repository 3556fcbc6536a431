package org.fluxmpp.benchmarks.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short end-to-end runs of the scenarios against an in-process Fluxmpp server and against the echo relay. */
class ScenariosTest {

    private static final String DOMAIN = "localhost";
    private static final String PASSWORD = "secret";
    private static final int ACCOUNTS = 4;

    @TempDir
    static Path dir;

    private static BoundXmppServer server;
    private static EventLoopGroup loops;
    private static final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        FileCredentialStore store = FileCredentialStore.open(dir.resolve("accounts.txt"));
        for (int i = 0; i < ACCOUNTS; i++) {
            store.put(BareJid.of("u" + i, DOMAIN), Credentials.fromPassword(PASSWORD));
        }
        server = XmppServer.create().domain(DOMAIN).host("127.0.0.1").port(0)
                .secure(ServerTls.selfSigned(DOMAIN))
                .authentication(sasl -> sasl.scramSha256().scramSha1().plain().credentials(store))
                .router(XmppRouter.create().domain(DOMAIN).accounts(store::exists))
                .bindNow();
        loops = Transport.loops(2);
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
        Transport.shutdown(loops);
    }

    private static LoadContext context(InetSocketAddress address, SaslMechanism mechanism) {
        return new LoadContext(address, DOMAIN, "u%d", ACCOUNTS, PASSWORD, List.of(), loops,
                new C2sLoginClient(loops, Transport.channelType(), Transport.clientTls(), DOMAIN, mechanism),
                new Counters(), new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private static InetSocketAddress fluxmpp() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Test
    void chatClosedLoopDeliversEverythingOnce() throws Exception {
        Map<String, Object> r = new ChatScenario(new ChatScenario.Settings(3, 0, 4, 100, 16, Duration.ofMillis(300),
                Duration.ofSeconds(1), 4)).run(context(fluxmpp(), SaslMechanism.SCRAM_SHA_1));
        assertThat(r).containsEntry("mode", "closed").containsEntry("lost", 0L).containsEntry("duplicated", 0L)
                .containsEntry("out_of_order", 0L).containsEntry("unexpected_stanzas", 0L);
        assertThat((long) r.get("received")).isEqualTo((long) r.get("sent")).isPositive();
        assertThat((double) r.get("delivered_per_s")).isPositive();
        assertThat((long) latency(r).get("count")).isPositive();
    }

    @Test
    void chatOpenLoopSendsAtTheRate() throws Exception {
        Map<String, Object> r = new ChatScenario(new ChatScenario.Settings(2, 400, 0, 1000, 16,
                Duration.ofMillis(300), Duration.ofSeconds(1), 4)).run(context(fluxmpp(), SaslMechanism.PLAIN));
        assertThat(r).containsEntry("mode", "open").containsEntry("lost", 0L).containsEntry("missed_slots", 0L);
        // 1.3 s at 400/s, give or take the last slots of each direction.
        assertThat((long) r.get("sent")).isBetween(480L, 540L);
        assertThat((double) r.get("delivered_per_s")).isBetween(300.0, 500.0);
    }

    @Test
    void loginsScenarioCountsLoginsAndLatency() throws Exception {
        Map<String, Object> r = new LoginsScenario(2, Duration.ofMillis(300), Duration.ofSeconds(1))
                .run(context(fluxmpp(), SaslMechanism.SCRAM_SHA_256));
        assertThat(r).containsEntry("failed", 0L);
        assertThat((long) r.get("logins")).isPositive();
        assertThat((long) latency(r).get("p50_us")).isPositive();
    }

    @Test
    void idleScenarioReadsTheServersMemory() throws Exception {
        Map<String, Object> r = new IdleScenario(20, 4, 4, Duration.ofMillis(100), ProcessHandle.current().pid())
                .run(context(fluxmpp(), SaslMechanism.SCRAM_SHA_1));
        assertThat(r).containsEntry("bound", 20).containsEntry("still_open", 20L).containsEntry("failed", 0L);
        assertThat((long) r.get("rss_after_kib")).isPositive();
    }

    @Test
    void aWrongPasswordFailsTheLogin() throws Exception {
        LoadContext ctx = new LoadContext(fluxmpp(), DOMAIN, "u%d", ACCOUNTS, "wrong", List.of(), loops,
                new C2sLoginClient(loops, Transport.channelType(), Transport.clientTls(), DOMAIN,
                        SaslMechanism.SCRAM_SHA_1), new Counters(), new PrintStream(printed, true,
                        StandardCharsets.UTF_8));
        Map<String, Object> r = new LoginsScenario(1, Duration.ZERO, Duration.ofMillis(300)).run(ctx);
        assertThat((long) r.get("failed")).isPositive();
        assertThat(r).containsEntry("logins", 0L);
    }

    @Test
    void echoRelayCarriesTheChat() throws Exception {
        EventLoopGroup relayLoops = Transport.loops(1);
        try (EchoServer relay = EchoServer.start(relayLoops, DOMAIN)) {
            Map<String, Object> r = new ChatScenario(new ChatScenario.Settings(2, 0, 4, 100, 16,
                    Duration.ofMillis(200), Duration.ofMillis(500), 4))
                    .run(context(relay.address(), SaslMechanism.PLAIN));
            assertThat(r).containsEntry("lost", 0L);
            assertThat((long) r.get("received")).isPositive();
        } finally {
            Transport.shutdown(relayLoops);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> latency(Map<String, Object> r) {
        return (Map<String, Object>) r.get("latency");
    }
}
