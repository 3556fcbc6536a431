package org.fluxmpp.benchmarks;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.fluxmpp.benchmarks.loadgen.C2sLoginClient;
import org.fluxmpp.benchmarks.loadgen.C2sLoginClient.Target;
import org.fluxmpp.benchmarks.loadgen.SaslMechanism;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.ServerTls;
import org.jspecify.annotations.Nullable;

/**
 * Memory per idle connection: N connections are opened and left idle, and the process's heap (after
 * {@code System.gc()}, from {@code MemoryMXBean}) and direct memory (JMX {@code BufferPoolMXBean} "direct", Netty's
 * default allocator, {@code PooledByteBufAllocator.DEFAULT}, {@code PlatformDependent.usedDirectMemory()}) are
 * compared with what they were before, per connection. Two kinds of server, each in turn:
 * <ul>
 *   <li>{@code floor}: a bare Netty TLS echo server ({@link BareTlsServer}); the client connects, completes a
 *       TLS handshake and one 64-byte echo round trip ({@link TlsClient});</li>
 *   <li>{@code fluxmpp}: an {@code XmppServer} with its router; the client logs in fully (STARTTLS, SCRAM-SHA-256,
 *       bind: {@code C2sLoginClient}).</li>
 * </ul>
 * Idle client connections of both kinds hold the same objects, so {@code fluxmpp - floor} is what Fluxmpp keeps per
 * session beyond a bare Netty TLS connection. Before measuring, connections stay idle for {@code -Didle=7} seconds
 * (the server compacts an idle stream's parser after 5 s). A heap histogram (the JVM's {@code GC.class_histogram})
 * before and after names the classes that grew ({@code -Dtop=45}: how many to list for the difference).
 *
 * <p>By default client and server share this process (the c2s issue's in-process figures). With {@code --split} the
 * server runs in a child JVM with the same options, so the server's and the client's shares are measured apart.
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar org.fluxmpp.benchmarks.IdleMemoryBenchmark [--split] [N ...]
 * </pre>
 * N defaults to 1000 and 9000: with client and server in one process each connection takes two file descriptors,
 * and the hard limit here is 20,000 per process.
 */
public final class IdleMemoryBenchmark {

    private static final int ACCOUNTS = 10;
    private static final int OPENING_IN_FLIGHT = 64;
    private static final int TOP_CLASSES = 15;
    private static final PrintStream OUT = System.out;

    private IdleMemoryBenchmark() {
    }

    /** Runs the measurement; see the class description for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--serve")) {
            serve(args[1], Integer.parseInt(args[2]));
            return;
        }
        boolean split = false;
        List<Integer> counts = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--split")) {
                split = true;
            } else {
                counts.add(Integer.parseInt(a));
            }
        }
        if (counts.isEmpty()) {
            counts = List.of(1000, 9000);
        }
        int idle = Integer.getInteger("idle", 7);
        OUT.printf(Locale.ROOT, "IdleMemoryBenchmark: %s, %s %s, %d cores, max heap %d MiB, JVM args %s%n",
                split ? "server in a child JVM (--split)" : "client and server in this JVM",
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        OUT.printf(Locale.ROOT, "Netty default allocator %s, server transport %s, server TLS %s, idle %d s%n",
                ByteBufAllocator.DEFAULT.getClass().getSimpleName(), Epoll.isAvailable() ? "epoll" : "nio",
                ServerTls.selfSigned(C2sBench.DOMAIN).sslContext().getClass().getSimpleName(), idle);
        List<String> summary = new ArrayList<>();
        for (int n : counts) {
            Result floor = run("floor", n, split, idle);
            Result fluxmpp = run("fluxmpp", n, split, idle);
            OUT.printf(Locale.ROOT, "%n== N = %d: what Fluxmpp adds per session over the floor ==%n", n);
            int added = summary.size();
            if (split) {
                summary.add(difference(n, "server process", floor.server, fluxmpp.server));
                summary.add(difference(n, "client process", floor.client, fluxmpp.client));
            } else {
                summary.add(difference(n, "client+server", floor.client, fluxmpp.client));
            }
            summary.subList(added, summary.size()).forEach(OUT::println);
            topClasses("classes that Fluxmpp adds beyond the floor, " + (split ? "server process" : "client+server process"),
                    histogramDelta(split ? fluxmpp.server : fluxmpp.client, n),
                    histogramDelta(split ? floor.server : floor.client, n), n, Integer.getInteger("top", 45));
        }
        OUT.printf("%n== Summary (bytes per connection) ==%n");
        OUT.println(Result.HEADER);
        for (Result r : RESULTS) {
            OUT.println(r.line());
        }
        summary.forEach(OUT::println);
    }

    private static final List<Result> RESULTS = new ArrayList<>();

    // ---- one run -------------------------------------------------------------------------------------------------

    /** The snapshots of one run: this process's (the client's, or both) and, with --split, the server process's. */
    private record Result(String variant, int n, double openSeconds, Delta client, @Nullable Delta server) {
        static final String HEADER = String.format(Locale.ROOT, "%-8s %-13s %5s %7s %9s %9s %9s %9s %9s",
                "variant", "process", "N", "open s", "heap", "jmxDirect", "nettyDir", "pooledDir", "platfDir");

        String line() {
            String a = row(split() ? "client" : "client+server", client);
            return server == null ? a : a + "\n" + row("server", server);
        }

        boolean split() {
            return server != null;
        }

        private String row(String process, Delta d) {
            return String.format(Locale.ROOT, "%-8s %-13s %5d %7.1f %9.0f %9.0f %9.0f %9.0f %9s", variant, process, n,
                    openSeconds, d.per(Snapshot::heap), d.per(Snapshot::jmxDirect), d.per(Snapshot::nettyDirect),
                    d.per(Snapshot::pooledDirect),
                    d.after.platformDirect < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f",
                            d.per(Snapshot::platformDirect)));
        }
    }

    private record Delta(int n, Snapshot before, Snapshot after) {
        double per(java.util.function.ToLongFunction<Snapshot> f) {
            return (f.applyAsLong(after) - f.applyAsLong(before)) / (double) n;
        }
    }

    private static Result run(String variant, int n, boolean split, int idleSeconds) throws Exception {
        OUT.printf(Locale.ROOT, "%n== %s, N = %d ==%n", variant, n);
        Server server = split ? RemoteServer.start(variant, n) : localServer(variant, n);
        EventLoopGroup loops = C2sBench.clientLoops(2);
        try {
            InetSocketAddress address = server.address();
            IntFunction<CompletableFuture<Channel>> open;
            if (variant.equals("floor")) {
                TlsClient client = new TlsClient(loops, C2sBench.clientTls());
                open = i -> client.handshakeAndStay(address);
            } else {
                C2sLoginClient client = new C2sLoginClient(loops, NioSocketChannel.class, C2sBench.clientTls(),
                        C2sBench.DOMAIN,
                SaslMechanism.SCRAM_SHA_256);
                open = i -> client.loginAndStay(Target.of(address), C2sBench.user(i % ACCOUNTS), C2sBench.PASSWORD,
                        "r" + i, C2sBench.Sink.INSTANCE);
            }
            // Warm-up: classes loaded, code compiled, allocator arenas grown, caches filled; none of it per session.
            int warm = Math.min(n, 500);
            closeAll(openAll(open, warm, 0), server);

            Snapshot clientBefore = Snapshot.take();
            Snapshot serverBefore = split ? server.snapshot() : null;
            long start = System.nanoTime();
            List<Channel> channels = openAll(open, n, warm);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            awaitConnections(server, n);
            OUT.printf(Locale.ROOT, "%d connections open in %.1f s (%.0f/s); idle for %d s%n", n, openSeconds,
                    n / openSeconds, idleSeconds);
            Thread.sleep(idleSeconds * 1000L);
            Snapshot clientAfter = Snapshot.take();
            Snapshot serverAfter = split ? server.snapshot() : null;
            if (server.connections() != n) {
                throw new IllegalStateException("connections were lost while idle: " + server.connections());
            }
            closeAll(channels, server);

            Result r = new Result(variant, n, openSeconds, new Delta(n, clientBefore, clientAfter),
                    split ? new Delta(n, serverBefore, serverAfter) : null);
            RESULTS.add(r);
            OUT.println(Result.HEADER);
            OUT.println(r.line());
            topClasses(split ? "client process" : "client+server process", histogramDelta(r.client, n), Map.of(), n);
            if (split) {
                topClasses("server process", histogramDelta(r.server, n), Map.of(), n);
            }
            return r;
        } finally {
            server.close();
            C2sBench.shutdown(loops);
        }
    }

    private static List<Channel> openAll(IntFunction<CompletableFuture<Channel>> open, int n, int first)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(OPENING_IN_FLIGHT);
        ConcurrentLinkedQueue<Channel> channels = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            if (!errors.isEmpty()) {
                break;
            }
            open.apply(first + i).whenComplete((ch, e) -> {
                if (e != null) {
                    errors.add(e);
                } else {
                    channels.add(ch);
                }
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(OPENING_IN_FLIGHT, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("connections did not open within 60 s");
        }
        if (!errors.isEmpty()) {
            channels.forEach(Channel::close);
            throw new IllegalStateException(errors.size() + " connections failed; the first: " + errors.peek(),
                    errors.peek());
        }
        return new ArrayList<>(channels);
    }

    private static void closeAll(List<Channel> channels, Server server) throws Exception {
        for (Channel ch : channels) {
            ch.close();
        }
        for (Channel ch : channels) {
            ch.closeFuture().await(10, TimeUnit.SECONDS);
        }
        awaitConnections(server, 0);
    }

    private static void awaitConnections(Server server, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.connections() != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server has " + server.connections() + " connections, not "
                        + expected);
            }
            Thread.sleep(20);
        }
    }

    private static String difference(int n, String process, Delta floor, Delta fluxmpp) {
        return String.format(Locale.ROOT, "N=%d %s: Fluxmpp - floor = heap %.0f B, direct (JMX) %.0f B, "
                        + "direct (Netty default allocator) %.0f B per session",
                n, process, fluxmpp.per(Snapshot::heap) - floor.per(Snapshot::heap),
                fluxmpp.per(Snapshot::jmxDirect) - floor.per(Snapshot::jmxDirect),
                fluxmpp.per(Snapshot::nettyDirect) - floor.per(Snapshot::nettyDirect));
    }

    // ---- heap histograms -----------------------------------------------------------------------------------------

    /** Per class: instances and bytes grown from before to after. */
    private static Map<String, long[]> histogramDelta(Delta d, int n) {
        Map<String, long[]> delta = new HashMap<>();
        Set<String> names = new HashSet<>(d.after.histogram.keySet());
        names.addAll(d.before.histogram.keySet());
        for (String name : names) {
            long[] a = d.after.histogram.getOrDefault(name, new long[2]);
            long[] b = d.before.histogram.getOrDefault(name, new long[2]);
            delta.put(name, new long[] {a[0] - b[0], a[1] - b[1]});
        }
        return delta;
    }

    private static void topClasses(String title, Map<String, long[]> delta, Map<String, long[]> minus, int n) {
        topClasses(title, delta, minus, n, TOP_CLASSES);
    }

    /** Who a class belongs to, as far as its name tells. */
    private static String owner(String className) {
        if (className.startsWith("org.fluxmpp.")) {
            return "Fluxmpp (org.fluxmpp)";
        }
        if (className.startsWith("reactor.netty.")) {
            return "reactor-netty";
        }
        if (className.startsWith("reactor.")) {
            return "reactor-core";
        }
        if (className.startsWith("io.netty.")) {
            return "Netty";
        }
        if (className.startsWith("com.fasterxml.aalto.")) {
            return "Aalto";
        }
        if (className.startsWith("sun.security.") || className.startsWith("javax.crypto.")
                || className.startsWith("com.sun.crypto.") || className.startsWith("javax.net.ssl.")) {
            return "JDK TLS and crypto";
        }
        return "JDK arrays, strings, collections (any owner)";
    }

    private static void topClasses(String title, Map<String, long[]> delta, Map<String, long[]> minus, int n,
                                   int shown) {
        Map<String, long[]> net = new HashMap<>();
        for (Map.Entry<String, long[]> e : delta.entrySet()) {
            long[] m = minus.getOrDefault(e.getKey(), new long[2]);
            net.put(e.getKey(), new long[] {e.getValue()[0] - m[0], e.getValue()[1] - m[1]});
        }
        for (Map.Entry<String, long[]> e : minus.entrySet()) {
            net.putIfAbsent(e.getKey(), new long[] {-e.getValue()[0], -e.getValue()[1]});
        }
        List<Map.Entry<String, long[]>> top = new ArrayList<>(net.entrySet());
        top.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        long total = net.values().stream().mapToLong(v -> v[1]).sum();
        OUT.printf(Locale.ROOT, "-- heap histogram growth per connection, %s (all classes: %.0f B) --%n", title,
                total / (double) n);
        OUT.printf(Locale.ROOT, "%10s %10s  %s%n", "B/conn", "obj/conn", "class");
        for (Map.Entry<String, long[]> e : top.subList(0, Math.min(shown, top.size()))) {
            OUT.printf(Locale.ROOT, "%10.1f %10.2f  %s%n", e.getValue()[1] / (double) n, e.getValue()[0] / (double) n,
                    e.getKey());
        }
        Map<String, Long> owners = new java.util.TreeMap<>();
        net.forEach((name, v) -> owners.merge(owner(name), v[1], Long::sum));
        OUT.printf("-- the same by owner --%n");
        owners.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .forEach(e -> OUT.printf(Locale.ROOT, "%10.1f  %s%n", e.getValue() / (double) n, e.getKey()));
    }

    // ---- snapshots -----------------------------------------------------------------------------------------------

    /** The memory of this process after a full GC, and its heap histogram. */
    private record Snapshot(long heap, long jmxDirect, long nettyDirect, long pooledDirect, long platformDirect,
                            Map<String, long[]> histogram) {

        private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

        static Snapshot take() throws Exception {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long jmxDirect = 0;
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    jmxDirect = pool.getMemoryUsed();
                }
            }
            long nettyDirect = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                    ? p.metric().usedDirectMemory() : -1;
            long pooledDirect = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            long platformDirect = PlatformDependent.usedDirectMemory();
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Map<String, long[]> histogram = new HashMap<>();
            for (String line : text.split("\n")) {
                Matcher m = HISTOGRAM_LINE.matcher(line);
                if (m.find()) {
                    histogram.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                            (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
                }
            }
            return new Snapshot(heap, jmxDirect, nettyDirect, pooledDirect, platformDirect, histogram);
        }

        String encode() {
            StringBuilder b = new StringBuilder("SNAPSHOT " + heap + " " + jmxDirect + " " + nettyDirect + " "
                    + pooledDirect + " " + platformDirect + " " + histogram.size() + "\n");
            histogram.forEach((name, v) -> b.append(v[0]).append(' ').append(v[1]).append(' ').append(name)
                    .append('\n'));
            return b.toString();
        }

        static Snapshot decode(BufferedReader in) throws IOException {
            String[] f = readLine(in, "SNAPSHOT").split(" ");
            Map<String, long[]> histogram = new HashMap<>();
            int classes = Integer.parseInt(f[6]);
            for (int i = 0; i < classes; i++) {
                String[] h = in.readLine().split(" ", 3);
                histogram.put(h[2], new long[] {Long.parseLong(h[0]), Long.parseLong(h[1])});
            }
            return new Snapshot(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Collections.unmodifiableMap(histogram));
        }
    }

    // ---- servers -------------------------------------------------------------------------------------------------

    private interface Server {
        InetSocketAddress address();

        int connections() throws IOException;

        /** The server process's snapshot (--split only). */
        Snapshot snapshot() throws Exception;

        /** Stops the server. */
        void close() throws Exception;
    }

    private static Server localServer(String variant, int n) {
        if (variant.equals("floor")) {
            BareTlsServer bare = new BareTlsServer(ServerTls.selfSigned(C2sBench.DOMAIN).sslContext());
            return new Server() {
                public InetSocketAddress address() {
                    return bare.address();
                }

                public int connections() {
                    return bare.connections();
                }

                public Snapshot snapshot() throws Exception {
                    return Snapshot.take();
                }

                public void close() {
                    bare.close();
                }
            };
        }
        Path dir = C2sBench.tempDir();
        BoundXmppServer xmpp = C2sBench.startServer(ServerTls.selfSigned(C2sBench.DOMAIN),
                C2sBench.accounts(dir, ACCOUNTS), n / ACCOUNTS + 100);
        return new Server() {
            public InetSocketAddress address() {
                return new InetSocketAddress("127.0.0.1", xmpp.port());
            }

            public int connections() {
                return xmpp.streamCount();
            }

            public Snapshot snapshot() throws Exception {
                return Snapshot.take();
            }

            public void close() {
                xmpp.disposeNow();
                C2sBench.delete(dir);
            }
        };
    }

    /** A server in a child JVM (same JVM options and class path), driven over its standard input and output. */
    private static final class RemoteServer implements Server {
        private final Process process;
        private final BufferedReader in;
        private final PrintStream out;
        private final InetSocketAddress address;

        private RemoteServer(Process process) throws IOException {
            this.process = process;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.out = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.address = new InetSocketAddress("127.0.0.1", Integer.parseInt(readLine(in, "PORT").split(" ")[1]));
        }

        static RemoteServer start(String variant, int n) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), IdleMemoryBenchmark.class.getName(),
                    "--serve", variant, Integer.toString(n)));
            return new RemoteServer(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start());
        }

        public InetSocketAddress address() {
            return address;
        }

        public synchronized int connections() throws IOException {
            out.println("COUNT");
            return Integer.parseInt(readLine(in, "COUNT").split(" ")[1]);
        }

        public synchronized Snapshot snapshot() throws Exception {
            out.println("SNAPSHOT");
            return Snapshot.decode(in);
        }

        public void close() throws Exception {
            out.println("QUIT");
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroy();
            }
        }
    }

    private static String readLine(BufferedReader in, String prefix) throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the server process ended before " + prefix);
            }
            if (line.startsWith(prefix + " ")) {
                return line;
            }
            OUT.println("server| " + line);
        }
    }

    /** The child JVM of --split: runs one server and answers COUNT, SNAPSHOT and QUIT on its standard input. */
    private static void serve(String variant, int n) throws Exception {
        Server server = localServer(variant, n);
        PrintStream out = System.out;
        out.println("PORT " + server.address().getPort());
        out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            switch (line.trim()) {
                case "COUNT" -> out.println("COUNT " + server.connections());
                case "SNAPSHOT" -> out.print(Snapshot.take().encode());
                case "QUIT" -> {
                    server.close();
                    out.flush();
                    System.exit(0);
                }
                default -> out.println("unknown command " + line);
            }
            out.flush();
        }
        server.close();
    }
}
