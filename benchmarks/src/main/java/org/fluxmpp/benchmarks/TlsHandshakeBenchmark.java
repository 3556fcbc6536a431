package org.fluxmpp.benchmarks;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
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
 * The baseline for {@link LoginBenchmark}: TCP connect, TLS handshake and close against a bare Netty TLS server
 * ({@link BareTlsServer}) with the same kind of certificate and the same TLS context as the Fluxmpp server
 * ({@link ServerTls#sslContext()}: JDK provider, TLS 1.3 and 1.2), the same client TLS context, in the same process.
 * {@code concurrency} handshakes are in flight at any time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class TlsHandshakeBenchmark {

    /** Handshakes under way at any time. */
    @Param({"1", "16"})
    public int concurrency;

    private BareTlsServer server;
    private EventLoopGroup loops;
    private InFlight handshakes;

    @Setup(Level.Trial)
    public void setUp() {
        server = new BareTlsServer(ServerTls.selfSigned(C2sBench.DOMAIN).sslContext());
        loops = C2sBench.clientLoops(2);
        TlsClient client = new TlsClient(loops, C2sBench.clientTls());
        handshakes = new InFlight(concurrency, i -> client.handshakeAndClose(server.address()));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        handshakes.close();
        server.close();
        C2sBench.shutdown(loops);
    }

    /** One TLS connection: connect, handshake, close. */
    @Benchmark
    public void handshake() throws Exception {
        handshakes.next();
    }
}
