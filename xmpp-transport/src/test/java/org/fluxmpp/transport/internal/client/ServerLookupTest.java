package org.fluxmpp.transport.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fluxmpp.transport.internal.client.ServerLookup.SrvRecord;
import org.fluxmpp.transport.internal.client.TestDnsServer.Srv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * {@link ServerLookup} against a real DNS server on a loopback UDP port, through Netty's real resolver: priorities,
 * RFC 2782 weights, both kinds of records merged (XEP-0368), "." (service declined), no records and an unreachable
 * name server (RFC 6120 3.2.2 fallback).
 */
class ServerLookupTest {

    private static EventLoopGroup loops;
    private static TestDnsServer dns;

    @BeforeAll
    static void start() throws Exception {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        dns = new TestDnsServer()
                .srv("_xmpp-client._tcp.prio.example",
                        new Srv(20, 0, 5222, "b.prio.example"),
                        new Srv(10, 0, 5222, "a.prio.example."),
                        new Srv(30, 0, 5333, "c.prio.example"))
                .srv("_xmpps-client._tcp.both.example",
                        new Srv(10, 5, 443, "tls10.both.example"),
                        new Srv(20, 5, 5223, "tls20.both.example"))
                .srv("_xmpp-client._tcp.both.example",
                        new Srv(5, 5, 5222, "plain5.both.example"),
                        new Srv(10, 5, 5222, "plain10.both.example"))
                .srv("_xmpp-client._tcp.dot.example", new Srv(0, 0, 0, "."))
                .srv("_xmpps-client._tcp.dottls.example", new Srv(0, 0, 0, "."))
                .srv("_xmpps-client._tcp.dotmixed.example", new Srv(0, 0, 0, "."))
                .srv("_xmpp-client._tcp.dotmixed.example", new Srv(1, 1, 5222, "xmpp.dotmixed.example"))
                .srv("_xmpp-client._tcp.xn--bcher-kva.example", new Srv(1, 1, 5222, "xmpp.xn--bcher-kva.example"))
                .srv("_xmpp-client._tcp.weights.example",
                        new Srv(1, 60, 5222, "w60.weights.example"),
                        new Srv(1, 30, 5222, "w30.weights.example"),
                        new Srv(1, 10, 5222, "w10.weights.example"),
                        new Srv(1, 0, 5222, "w0.weights.example"));
    }

    @AfterAll
    static void stop() {
        dns.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ServerLookup lookup() {
        return lookup(b -> b);
    }

    private static ServerLookup lookup(java.util.function.UnaryOperator<ServerLookup.Builder> customize) {
        return customize.apply(ServerLookup.builder(loops.next())
                .nameServers(List.of(dns.address()))
                .queryTimeout(Duration.ofSeconds(2))).build();
    }

    private static List<ConnectTarget> targets(ServerLookup lookup, String domain) {
        return lookup.lookup(domain).block(Duration.ofSeconds(5));
    }

    @Test
    void ordersByPriority() {
        try (ServerLookup lookup = lookup()) {
            assertThat(targets(lookup, "prio.example")).containsExactly(
                    new ConnectTarget("a.prio.example", 5222, false),
                    new ConnectTarget("b.prio.example", 5222, false),
                    new ConnectTarget("c.prio.example", 5333, false));
        }
    }

    @Test
    void mergesDirectTlsAndStartTlsByPriorityPreferringDirectTls() {
        try (ServerLookup lookup = lookup()) {
            assertThat(targets(lookup, "both.example")).containsExactly(
                    new ConnectTarget("plain5.both.example", 5222, false),
                    new ConnectTarget("tls10.both.example", 443, true),
                    new ConnectTarget("plain10.both.example", 5222, false),
                    new ConnectTarget("tls20.both.example", 5223, true));
        }
    }

    @Test
    void mixesBothKindsInOneWeightedSelectionWhenAsked() {
        Set<List<ConnectTarget>> seen = new HashSet<>();
        try (ServerLookup lookup = lookup(b -> b.preferDirectTls(false).random(new Random(7)))) {
            for (int i = 0; i < 40; i++) {
                List<ConnectTarget> t = targets(lookup, "both.example");
                assertThat(t).hasSize(4);
                assertThat(t.get(0).host()).isEqualTo("plain5.both.example");
                assertThat(t.get(3).host()).isEqualTo("tls20.both.example");
                seen.add(t);
            }
        }
        // Equal weights at priority 10: either kind may go first.
        assertThat(seen).hasSize(2);
    }

    @Test
    void weightsAreHonouredAndZeroWeightRecordsStillChosen() {
        Map<String, Integer> first = new HashMap<>();
        int draws = 20_000;
        try (ServerLookup lookup = lookup(b -> b.random(new Random(42)))) {
            // Through the resolver once, then many draws on the same records without the network.
            List<ConnectTarget> once = targets(lookup, "weights.example");
            assertThat(once).extracting(ConnectTarget::host).containsExactlyInAnyOrder(
                    "w60.weights.example", "w30.weights.example", "w10.weights.example", "w0.weights.example");
        }
        Random random = new Random(42);
        List<SrvRecord> records = List.of(srv(1, 60, "w60"), srv(1, 30, "w30"), srv(1, 10, "w10"), srv(1, 0, "w0"));
        for (int i = 0; i < draws; i++) {
            List<ConnectTarget> order = ServerLookup.order(new ArrayList<>(records), true, random);
            assertThat(order).hasSize(4);
            first.merge(order.get(0).host(), 1, Integer::sum);
        }
        // RFC 2782: a uniform number in [0, 100] picks the first record, so weight w goes first w/101 of the time,
        // and a zero-weight record 1/101 of the time: rarely, but not never.
        assertThat(share(first, "w60", draws)).isCloseTo(60.0 / 101, within(0.02));
        assertThat(share(first, "w30", draws)).isCloseTo(30.0 / 101, within(0.02));
        assertThat(share(first, "w10", draws)).isCloseTo(10.0 / 101, within(0.02));
        assertThat(first.getOrDefault("w0", 0)).isPositive();
        assertThat(share(first, "w0", draws)).isCloseTo(1.0 / 101, within(0.01));

        // A group of zero-weight records only: each is tried first some of the time.
        Map<String, Integer> zeros = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            List<ConnectTarget> order = ServerLookup.order(
                    new ArrayList<>(List.of(srv(1, 0, "z1"), srv(1, 0, "z2"), srv(1, 0, "z3"))), true, random);
            zeros.merge(order.get(0).host(), 1, Integer::sum);
        }
        assertThat(zeros).containsOnlyKeys("z1", "z2", "z3");
        assertThat(zeros.values()).allSatisfy(n -> assertThat(n).isBetween(250, 420));
    }

    @Test
    void aLoneDotMeansTheServiceIsNotOffered() {
        try (ServerLookup lookup = lookup()) {
            StepVerifier.create(lookup.lookup("dot.example"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ServiceNotAvailableException.class)
                            .hasMessageContaining("dot.example"))
                    .verify(Duration.ofSeconds(5));
            // XEP-0368: "." for direct TLS and nothing for STARTTLS: no A/AAAA fallback either.
            StepVerifier.create(lookup.lookup("dottls.example"))
                    .expectError(ServiceNotAvailableException.class)
                    .verify(Duration.ofSeconds(5));
            // "." for direct TLS only: STARTTLS records still count.
            assertThat(targets(lookup, "dotmixed.example"))
                    .containsExactly(new ConnectTarget("xmpp.dotmixed.example", 5222, false));
        }
    }

    @Test
    void noRecordsFallBackToTheDomainOnPort5222() {
        try (ServerLookup lookup = lookup()) {
            assertThat(targets(lookup, "nothing.example"))
                    .containsExactly(new ConnectTarget("nothing.example", 5222, false));
        }
    }

    @Test
    void asksForAnInternationalisedDomainInALabels() {
        try (ServerLookup lookup = lookup()) {
            assertThat(targets(lookup, "bücher.example"))
                    .containsExactly(new ConnectTarget("xmpp.xn--bcher-kva.example", 5222, false));
        }
    }

    @Test
    void anUnreachableNameServerFallsBackAfterTheTimeout() throws Exception {
        // A bound socket that never answers: the queries can only time out.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             ServerLookup lookup = ServerLookup.builder(loops.next())
                     .nameServers(List.of((InetSocketAddress) silent.getLocalSocketAddress()))
                     .queryTimeout(Duration.ofMillis(300))
                     .build()) {
            long start = System.nanoTime();
            List<ConnectTarget> t = targets(lookup, "prio.example");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(t).containsExactly(new ConnectTarget("prio.example", 5222, false));
            assertThat(millis).isBetween(250L, 2_000L);
        }
    }

    @Test
    void cancellingALookupLeaksNothing() {
        try (ServerLookup lookup = lookup()) {
            for (int i = 0; i < 20; i++) {
                lookup.lookup("both.example").subscribe().dispose();
            }
            // The next lookup still works; the leak check after the class sees any record left unreleased.
            assertThat(targets(lookup, "prio.example")).hasSize(3);
        }
    }

    private static SrvRecord srv(int priority, int weight, String host) {
        return new SrvRecord(priority, weight, new ConnectTarget(host, 5222, false));
    }

    private static double share(Map<String, Integer> counts, String host, int total) {
        return counts.getOrDefault(host, 0) / (double) total;
    }
}
