package org.fluxmpp.benchmarks;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fluxmpp.benchmarks.loadgen.C2sLoginClient;
import org.fluxmpp.benchmarks.loadgen.C2sLoginClient.Target;
import org.fluxmpp.benchmarks.loadgen.SaslMechanism;
import org.fluxmpp.transport.BoundXmppServer;
import org.fluxmpp.transport.ServerTls;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full c2s logins per second against an in-process Fluxmpp server: one operation is TCP connect, stream header,
 * STARTTLS, TLS handshake (JDK provider, TLS 1.3, ECDSA P-256 self-signed certificate), restart, SCRAM-SHA-256,
 * restart, resource binding, {@code </stream:stream>}, and the server closing the connection
 * ({@code C2sLoginClient}). {@code concurrency} logins are in flight at any time ({@link InFlight}). Client and
 * server share the process and its cores, as in the {@link TlsHandshakeBenchmark} baseline.
 *
 * <p>Logins rotate over {@value #ACCOUNTS} accounts with a fresh resource each; the client caches each account's
 * SCRAM keys after the first login (PBKDF2 once per account), the server stores them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class LoginBenchmark {

    static final int ACCOUNTS = 4;

    /** Logins under way at any time. */
    @Param({"1", "16"})
    public int concurrency;

    private Path dir;
    private BoundXmppServer server;
    private EventLoopGroup loops;
    private InFlight logins;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = C2sBench.tempDir();
        ServerTls tls = ServerTls.selfSigned(C2sBench.DOMAIN);
        System.out.println("\nserver TLS: " + tls.sslContext().getClass().getSimpleName()
                + ", client TLS: " + C2sBench.clientTls().getClass().getSimpleName());
        server = C2sBench.startServer(tls, C2sBench.accounts(dir, ACCOUNTS), 1000);
        loops = C2sBench.clientLoops(2);
        C2sLoginClient client = new C2sLoginClient(loops, NioSocketChannel.class, C2sBench.clientTls(), C2sBench.DOMAIN,
                SaslMechanism.SCRAM_SHA_256);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        // One login per account first: checks the exchange and fills the client's key cache.
        for (int i = 0; i < ACCOUNTS; i++) {
            client.login(Target.of(address), C2sBench.user(i), C2sBench.PASSWORD, "setup").get(30, TimeUnit.SECONDS);
        }
        logins = new InFlight(concurrency,
                i -> client.login(Target.of(address), C2sBench.user(i % ACCOUNTS), C2sBench.PASSWORD, "r" + i));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        logins.close();
        server.disposeNow();
        C2sBench.shutdown(loops);
        C2sBench.delete(dir);
    }

    /** One complete login (and logout). */
    @Benchmark
    public void login() throws Exception {
        logins.next();
    }
}
