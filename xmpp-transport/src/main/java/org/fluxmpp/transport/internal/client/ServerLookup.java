package org.fluxmpp.transport.internal.client;

import com.ibm.icu.text.IDNA;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * Finds where an XMPP client connects for a domain, without blocking: DNS SRV records for
 * {@code _xmpps-client._tcp} (direct TLS, XEP-0368) and {@code _xmpp-client._tcp} (STARTTLS, RFC 6120 section 3.2.1),
 * asked in parallel through Netty's {@link DnsNameResolver} on one event loop.
 *
 * <p>The answer, as a list of {@link ConnectTarget}s in the order to try them:
 * <ul>
 *   <li>records sorted by priority (lowest first), and within one priority by RFC 2782's weighted random selection;
 *   <li>both kinds merged by priority; on equal priority direct TLS comes first (XEP-0368 lets a client prefer one
 *       kind; direct TLS saves a round trip and cannot be stripped), unless {@link Builder#preferDirectTls(boolean)
 *       preferDirectTls(false)} mixes both kinds into one weighted selection, as XEP-0368's first rule describes;
 *   <li>no SRV records at all, or a failed lookup (timeout, server failure): the fallback
 *       {@code (domain, 5222, STARTTLS)} of RFC 6120 section 3.2.2, whose host the connector resolves to A/AAAA;
 *   <li>a single record with target {@code "."} for a service means that service is decidedly not offered
 *       (RFC 2782); when no other record names a server the lookup fails with {@link ServiceNotAvailableException}
 *       and does not fall back (RFC 6120 section 3.2.1, XEP-0368 section 5).
 * </ul>
 *
 * <pre>{@code
 * try (ServerLookup lookup = ServerLookup.builder(eventLoop).queryTimeout(Duration.ofSeconds(2)).build()) {
 *     List<ConnectTarget> targets = lookup.lookup("example.com").block();
 * }
 * }</pre>
 *
 * <p>One instance may serve many lookups at once; it owns a UDP socket until {@link #close()}.
 */
public final class ServerLookup implements AutoCloseable {

    /** The SRV owner-name prefix for STARTTLS client service (RFC 6120 section 3.2.1): {@value}. */
    public static final String STARTTLS_SERVICE = "_xmpp-client._tcp.";

    /** The SRV owner-name prefix for direct TLS client service (XEP-0368): {@value}. */
    public static final String DIRECT_TLS_SERVICE = "_xmpps-client._tcp.";

    /** How long one DNS query waits for an answer by default, in milliseconds: {@value}. */
    public static final long DEFAULT_QUERY_TIMEOUT_MILLIS = 3_000;

    private static final Logger log = LoggerFactory.getLogger(ServerLookup.class);

    // Non-transitional, as Jids does for JID domainparts: IDNA2008, not java.net.IDN's IDNA2003.
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.USE_STD3_RULES);

    private final DnsNameResolver resolver;
    private final Duration lookupTimeout;
    private final Supplier<RandomGenerator> random;
    private final boolean preferDirectTls;

    private ServerLookup(Builder b) {
        LoopResources channels = useNative -> b.eventLoop;
        this.resolver = new DnsNameResolverBuilder(b.eventLoop)
                // reactor-netty knows which channel classes fit this loop (NIO, epoll, ...); ask it instead of guessing.
                .datagramChannelType(channels.onChannelClass(DatagramChannel.class, b.eventLoop))
                // TCP only for answers too long for UDP (a domain with many SRV records).
                .socketChannelType(channels.onChannelClass(SocketChannel.class, b.eventLoop))
                .nameServerProvider(b.nameServers)
                .queryTimeoutMillis(b.queryTimeout.toMillis())
                // The names asked are absolute: the host's search domains must not be appended to them.
                .searchDomains(Collections.emptyList())
                .ndots(1)
                .build();
        // Every configured server may be asked in turn, each with its own query timeout; beyond that the lookup
        // stops waiting and falls back, so a dead resolver delays a connection by a bounded time only.
        this.lookupTimeout = b.queryTimeout.multipliedBy(2).plusMillis(100);
        RandomGenerator fixed = b.random;
        this.random = fixed != null ? () -> fixed : ThreadLocalRandom::current;
        this.preferDirectTls = b.preferDirectTls;
    }

    /** A builder for lookups on this event loop (the client's own, so answers arrive where they are used). */
    public static Builder builder(EventLoop eventLoop) {
        return new Builder(eventLoop);
    }

    /**
     * Looks up where to connect for this XMPP domain.
     *
     * @param domain the XMPP domain (a JID's domainpart, Unicode or ASCII)
     * @return the targets in the order to try them, never empty; fails with {@link ServiceNotAvailableException}
     *         when the domain's DNS declines the service. DNS errors and timeouts are not errors: they give the
     *         RFC 6120 fallback. Cancelling abandons the queries; records arriving later are released
     */
    public Mono<List<ConnectTarget>> lookup(String domain) {
        String ascii;
        try {
            ascii = toAscii(domain);
        } catch (IllegalArgumentException e) {
            return Mono.error(e);
        }
        // The trailing dot makes the names absolute: no search domain is ever appended.
        Mono<Answer> direct = query(DIRECT_TLS_SERVICE + ascii + ".", true);
        Mono<Answer> starttls = query(STARTTLS_SERVICE + ascii + ".", false);
        return Mono.zip(direct, starttls).flatMap(both -> combine(ascii, both.getT1(), both.getT2()));
    }

    private Mono<List<ConnectTarget>> combine(String domain, Answer direct, Answer starttls) {
        List<SrvRecord> all = new ArrayList<>(direct.records.size() + starttls.records.size());
        all.addAll(direct.records);
        all.addAll(starttls.records);
        if (!all.isEmpty()) {
            return Mono.just(order(all, preferDirectTls, random.get()));
        }
        if (direct.declined || starttls.declined) {
            // "." for _xmpp-client: RFC 6120 3.2.1 says do not fall back. "." for _xmpps-client: XEP-0368 says the
            // SRV protocol is in use, so no A/AAAA fallback either; _xmpp-client had nothing to offer.
            return Mono.error(new ServiceNotAvailableException(domain));
        }
        // RFC 6120 3.2.2: no SRV records (NXDOMAIN or an empty answer), or a lookup that failed for any other reason
        // (SERVFAIL, REFUSED, unreachable resolver, timeout): fall back to the domain's A/AAAA records, port 5222.
        return Mono.just(List.of(ConnectTarget.fallback(domain)));
    }

    private Mono<Answer> query(String name, boolean directTls) {
        return Mono.<Answer>create(sink -> {
            Future<List<DnsRecord>> f = resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.SRV));
            // Records are turned into plain values and released right here, so nothing reference-counted ever
            // travels through the Mono, and a lookup cancelled meanwhile leaks nothing.
            f.addListener(done -> {
                if (done.isSuccess()) {
                    @SuppressWarnings("unchecked")
                    List<DnsRecord> records = (List<DnsRecord>) done.getNow();
                    sink.success(parse(name, records, directTls));
                } else {
                    // Also when cancelled: by us (then nobody listens any more) or by the resolver closing.
                    log.debug("SRV lookup of {} failed: {}", name, String.valueOf(done.cause()));
                    sink.success(Answer.FAILED);
                }
            });
            sink.onCancel(() -> f.cancel(false));
        }).timeout(lookupTimeout, Mono.fromSupplier(() -> {
            // Each query alone, so that an answer already in for the other kind of record is kept.
            log.debug("SRV lookup of {} took longer than {}; treated as failed", name, lookupTimeout);
            return Answer.FAILED;
        }));
    }

    private static Answer parse(String name, List<DnsRecord> records, boolean directTls) {
        try {
            List<SrvRecord> srv = new ArrayList<>(records.size());
            int dots = 0;
            for (DnsRecord r : records) {
                if (r.type() != DnsRecordType.SRV || !(r instanceof DnsRawRecord raw)) {
                    continue;
                }
                ByteBuf content = raw.content().duplicate();
                if (content.readableBytes() < 7) {
                    log.debug("SRV record of {} too short; ignored", name);
                    continue;
                }
                int priority = content.readUnsignedShort();
                int weight = content.readUnsignedShort();
                int port = content.readUnsignedShort();
                String target = DefaultDnsRecordDecoder.decodeName(content);
                if (".".equals(target)) {
                    dots++;
                    continue;
                }
                if (port == 0) {
                    // Nobody can connect to port 0; such a record is a misconfiguration, not a target.
                    continue;
                }
                String host = target.endsWith(".") ? target.substring(0, target.length() - 1) : target;
                srv.add(new SrvRecord(priority, weight, new ConnectTarget(host, port, directTls)));
            }
            // RFC 2782: a lone "." record says "decidedly not available"; a "." among real records is just ignored.
            return new Answer(srv, srv.isEmpty() && dots > 0);
        } catch (RuntimeException e) {
            log.debug("unreadable SRV answer for {}: {}", name, e.toString());
            return Answer.FAILED;
        } finally {
            for (DnsRecord r : records) {
                ReferenceCountUtil.release(r);
            }
        }
    }

    /**
     * Orders SRV records: by priority, then within each priority by RFC 2782's weighted random selection, with
     * direct TLS first on equal priority when {@code preferDirectTls}.
     */
    static List<ConnectTarget> order(List<SrvRecord> records, boolean preferDirectTls, RandomGenerator random) {
        TreeMap<Integer, List<SrvRecord>> byPriority = new TreeMap<>();
        for (SrvRecord r : records) {
            byPriority.computeIfAbsent(r.priority(), p -> new ArrayList<>()).add(r);
        }
        List<ConnectTarget> out = new ArrayList<>(records.size());
        for (List<SrvRecord> group : byPriority.values()) {
            if (preferDirectTls) {
                List<SrvRecord> direct = new ArrayList<>();
                List<SrvRecord> starttls = new ArrayList<>();
                for (SrvRecord r : group) {
                    (r.target().directTls() ? direct : starttls).add(r);
                }
                weighted(direct, random, out);
                weighted(starttls, random, out);
            } else {
                weighted(group, random, out);
            }
        }
        return List.copyOf(out);
    }

    /** RFC 2782's selection within one priority, appending to {@code out}; consumes {@code group}. */
    private static void weighted(List<SrvRecord> group, RandomGenerator random, List<ConnectTarget> out) {
        // "Arrange all SRV RRs (that have not been ordered yet) in any order, except that all those with weight 0
        // are placed at the beginning of the list." Shuffling first makes "any order" fair among equal weights,
        // so that a group of zero-weight records is not always tried in the order the server sent them.
        shuffle(group, random);
        List<SrvRecord> list = new ArrayList<>(group.size());
        for (SrvRecord r : group) {
            if (r.weight() == 0) {
                list.add(r);
            }
        }
        for (SrvRecord r : group) {
            if (r.weight() != 0) {
                list.add(r);
            }
        }
        while (!list.isEmpty()) {
            long sum = 0;
            for (SrvRecord r : list) {
                sum += r.weight();
            }
            // "Choose a uniform random number between 0 and the sum computed (inclusive), and select the RR whose
            // running sum value is the first in the selected order which is greater than or equal to the random
            // number selected." Zero-weight records keep a small chance of going first (when the number is 0).
            long pick = random.nextLong(sum + 1);
            long running = 0;
            int chosen = list.size() - 1;
            for (int i = 0; i < list.size(); i++) {
                running += list.get(i).weight();
                if (running >= pick) {
                    chosen = i;
                    break;
                }
            }
            out.add(list.remove(chosen).target());
        }
    }

    private static void shuffle(List<SrvRecord> list, RandomGenerator random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    private static String toAscii(String domain) {
        Objects.requireNonNull(domain, "domain");
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
        boolean ascii = d.chars().allMatch(c -> c < 0x80);
        if (ascii) {
            return d.toLowerCase(Locale.ROOT);
        }
        // DNS asks in A-labels; a JID's domainpart is kept in U-labels.
        StringBuilder out = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToASCII(d, out, info);
        if (info.hasErrors()) {
            throw new IllegalArgumentException("not an IDNA2008 domain name: " + domain + " " + info.getErrors());
        }
        return out.toString();
    }

    /** Closes the resolver and its socket; lookups in progress fail over to the fallback. */
    @Override
    public void close() {
        resolver.close();
    }

    /** One usable SRV record. */
    record SrvRecord(int priority, int weight, ConnectTarget target) {
    }

    /** What one SRV query found: usable records, or a declined service, or nothing (failure included). */
    private record Answer(List<SrvRecord> records, boolean declined) {
        static final Answer FAILED = new Answer(List.of(), false);
    }

    /**
     * Settings of a {@link ServerLookup}: name servers (the system's by default), the query timeout, the random
     * source of the weighted selection, and how the two kinds of records are merged.
     */
    public static final class Builder {

        private final EventLoop eventLoop;
        private DnsServerAddressStreamProvider nameServers = DnsServerAddressStreamProviders.platformDefault();
        private Duration queryTimeout = Duration.ofMillis(DEFAULT_QUERY_TIMEOUT_MILLIS);
        private @Nullable RandomGenerator random;
        private boolean preferDirectTls = true;

        private Builder(EventLoop eventLoop) {
            this.eventLoop = Objects.requireNonNull(eventLoop, "eventLoop");
        }

        /** Asks these name servers, in this order (the next one when one does not answer in time). */
        public Builder nameServers(List<InetSocketAddress> servers) {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("no name servers");
            }
            this.nameServers = new SequentialDnsServerAddressStreamProvider(List.copyOf(servers));
            return this;
        }

        /** Asks the name servers this provider names (default: the system's, from {@code /etc/resolv.conf}). */
        public Builder nameServers(DnsServerAddressStreamProvider provider) {
            this.nameServers = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * How long one query waits for one name server (default {@value #DEFAULT_QUERY_TIMEOUT_MILLIS} ms). The
         * whole lookup is bounded by twice this: then it falls back as if there were no records.
         */
        public Builder queryTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.queryTimeout = timeout;
            return this;
        }

        /** The random source of the weighted selection (default: a thread-local one); a seeded one for tests. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Whether direct TLS records go before STARTTLS records of the same priority (default {@code true}); with
         * {@code false} both kinds share one weighted selection per priority.
         */
        public Builder preferDirectTls(boolean prefer) {
            this.preferDirectTls = prefer;
            return this;
        }

        /** A lookup with these settings; it opens its UDP socket now. */
        public ServerLookup build() {
            return new ServerLookup(this);
        }
    }
}
