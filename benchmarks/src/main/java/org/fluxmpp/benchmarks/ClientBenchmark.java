package org.fluxmpp.benchmarks;

import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.transport.SaslMechanism;
import org.fluxmpp.transport.XmppClient;
import org.fluxmpp.transport.XmppConnection;
import reactor.core.publisher.Flux;

/**
 * The client's own cost (the client issue's benchmark): how many stanzas one {@link XmppConnection} sends and
 * receives per second through the demo server, and how much memory a connected, idle client holds.
 *
 * <p>The demo server runs as its own process ({@code fluxmpp-server.jar}, built by {@code mvn package}), so the
 * memory measured here is the client's alone.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ... (JMH) is for the in-process benchmarks; this one is a main:
 * java -cp benchmarks/target/benchmarks.jar org.fluxmpp.benchmarks.ClientBenchmark [messages] [clients]
 * </pre>
 */
public final class ClientBenchmark {

    private static final String PASSWORD = "bench-password";
    private static final int ACCOUNTS = 10;
    /** Messages in flight between the two clients, below the server's per-session queue of 1,000. */
    private static final int WINDOW = 500;

    private ClientBenchmark() {
    }

    /**
     * Runs both measurements.
     *
     * @param args optional: messages per throughput run (default 200,000), idle clients (default 1,000)
     */
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        Path jar = Path.of(System.getProperty("fluxmpp.serverJar", "samples/server/target/fluxmpp-server.jar"));
        Path data = Files.createTempDirectory("fluxmpp-client-bench");
        provision(jar, data);
        Process server = new ProcessBuilder("java", "-jar", jar.toString(), "run", "--port", "0",
                "--data", data.toString()).redirectErrorStream(true).start();
        try {
            int port = awaitPort(server, data.resolve("server.log"));
            XmppClient base = XmppClient.create().password(PASSWORD).host("127.0.0.1").port(port)
                    .mechanisms(SaslMechanism.SCRAM_SHA_256)
                    .secure(tls -> tls.trustCertificates(data.resolve("tls/cert.pem")));
            System.out.printf(Locale.ROOT, "server: pid %d, port %d; client JVM: %s %s, %d cores%n", server.pid(),
                    port, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors());
            throughput(base, messages);
            memory(base, clients);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * One client sends {@code messages} chat messages to another, as fast as the receiver takes them: at most
     * {@link #WINDOW} in flight, because a sender faster than its receiver would fill the receiver's queue on the
     * server and end its stream (the overflow policy), which is not what this measures. 1 warm-up + 3 runs.
     */
    private static void throughput(XmppClient base, int messages) throws Exception {
        XmppConnection sender = base.jid("bench0@localhost/sender").connect().block(Duration.ofSeconds(30));
        XmppConnection receiver = base.jid("bench1@localhost/receiver").inboundCapacity(1024)
                .connect().block(Duration.ofSeconds(30));
        // Each arrival frees a slot of the window and counts towards the run's end: signals, not polling.
        Semaphore window = new Semaphore(WINDOW);
        AtomicReference<CountDownLatch> arrivals = new AtomicReference<>(new CountDownLatch(0));
        receiver.inbound().subscribe(s -> {
            window.release();
            arrivals.get().countDown();
        });
        double[] rates = new double[4];
        for (int run = 0; run < rates.length; run++) {
            CountDownLatch done = new CountDownLatch(messages);
            arrivals.set(done);
            long start = System.nanoTime();
            for (int sent = 0; sent < messages; sent += WINDOW / 2) {
                int from = sent;
                int count = Math.min(WINDOW / 2, messages - sent);
                // At most WINDOW on their way: wait (on this main thread, never an event loop) for room.
                if (!window.tryAcquire(count, 30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("messages stopped arriving at " + (messages - done.getCount()));
                }
                sender.send(Flux.range(from, count).map(i -> Message.builder().to("bench1@localhost/receiver")
                        .type(Message.Type.CHAT).id("m" + i).body("benchmark message " + i).build()))
                        .block(Duration.ofMinutes(1));
            }
            if (!done.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (messages - done.getCount()) + " of " + messages
                        + " arrived");
            }
            rates[run] = messages / ((System.nanoTime() - start) / 1e9);
            System.out.printf(Locale.ROOT, "throughput run %d%s: %,.0f messages/s sent by one connection and "
                    + "received by another%n", run, run == 0 ? " (warm-up)" : "", rates[run]);
        }
        double[] measured = Arrays.copyOfRange(rates, 1, rates.length);
        Arrays.sort(measured);
        System.out.printf(Locale.ROOT, "throughput: median %,.0f messages/s (min %,.0f, max %,.0f), %d per run%n",
                measured[1], measured[0], measured[2], messages);
        sender.close().block(Duration.ofSeconds(10));
        receiver.close().block(Duration.ofSeconds(10));
    }

    /** Connects {@code n} clients (ten accounts, many resources) and divides the heap and direct memory held. */
    private static void memory(XmppClient base, int n) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapBefore = settledHeap(memory);
        long directBefore = PlatformDependent.usedDirectMemory();
        List<XmppConnection> open = new ArrayList<>(n);
        CountDownLatch done = new CountDownLatch(n);
        Flux.range(0, n)
                .flatMap(i -> base.jid("bench" + (i % ACCOUNTS) + "@localhost/idle" + i).connect()
                        .doOnNext(c -> {
                            synchronized (open) {
                                open.add(c);
                            }
                        })
                        .doFinally(s -> done.countDown()), 32)
                .subscribe();
        if (!done.await(5, TimeUnit.MINUTES) || open.size() != n) {
            throw new IllegalStateException("only " + open.size() + " of " + n + " clients connected");
        }
        // No event says "idle": give the last logins' leftovers (handshake buffers, keepalive timers) time to go.
        Thread.sleep(2_000);
        long heapAfter = settledHeap(memory);
        long directAfter = PlatformDependent.usedDirectMemory();
        System.out.printf(Locale.ROOT, "memory per connected idle client (%d clients): heap %,d B, Netty direct "
                + "%,d B%n", n, (heapAfter - heapBefore) / n, (directAfter - directBefore) / n);
        Flux.fromIterable(open).flatMap(XmppConnection::close, 64).blockLast(Duration.ofMinutes(2));
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            // System.gc() only asks; a pause lets reference processing and a concurrent cycle finish.
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void provision(Path jar, Path data) throws IOException, InterruptedException {
        Process add = new ProcessBuilder("java", "-jar", jar.toString(), "adduser", "--batch", "--data",
                data.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = add.getOutputStream()) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < ACCOUNTS; i++) {
                lines.append("bench").append(i).append("@localhost:").append(PASSWORD).append('\n');
            }
            in.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (add.waitFor() != 0) {
            throw new IllegalStateException("adduser --batch failed");
        }
    }

    /**
     * Reads the server's output up to its banner, which it prints once it listens, and returns the port it names;
     * the rest of the output goes on to {@code log}.
     */
    private static int awaitPort(Process server, Path log) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Pattern banner = Pattern.compile("serving \\S+ on [^:]+:(\\d+)");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = banner.matcher(line);
            if (m.find()) {
                Thread copy = new Thread(() -> {
                    try (Writer w = Files.newBufferedWriter(log)) {
                        out.transferTo(w);
                    } catch (IOException e) {
                        // The server went away; its log ends there.
                    }
                }, "server-log");
                copy.setDaemon(true);
                copy.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IllegalStateException("the server ended before it listened");
    }
}
