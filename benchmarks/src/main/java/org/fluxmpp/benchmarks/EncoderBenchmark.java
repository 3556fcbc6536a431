package org.fluxmpp.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fluxmpp.codec.StreamEvent;
import org.fluxmpp.codec.XmppStreamDecoder;
import org.fluxmpp.codec.XmppStreamEncoder;
import org.fluxmpp.xml.XmlElement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding throughput: the stanzas of {@link StanzaMix}, decoded once, each written by {@link XmppStreamEncoder}
 * into its own pooled direct buffer (as the transport writes them) and released. One operation is one stanza.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Netty's leak detector samples one allocation in 128 and records a stack trace for it: that is not the encoder.
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class EncoderBenchmark {

    static final int STANZAS = 20_000;

    private final XmppStreamEncoder encoder = new XmppStreamEncoder();
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private XmlElement[] stanzas;

    @Setup(Level.Trial)
    public void setUp() {
        StanzaMix mix = StanzaMix.generate(STANZAS, 1);
        ByteBuf[] chunks = mix.chunks(alloc, false);
        List<XmlElement> elements = new ArrayList<>(STANZAS);
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        for (ByteBuf c : chunks) {
            decoder.decode(c, e -> {
                if (e instanceof StreamEvent.Element el) {
                    elements.add(el.element());
                }
            });
            c.release();
        }
        stanzas = elements.toArray(new XmlElement[0]);
        if (stanzas.length != STANZAS) {
            throw new IllegalStateException("the mix did not decode to " + STANZAS + " stanzas");
        }
    }

    @Benchmark
    @OperationsPerInvocation(STANZAS)
    public long encoder() {
        long bytes = 0;
        for (XmlElement e : stanzas) {
            ByteBuf buf = encoder.encode(e, "jabber:client", alloc);
            bytes += buf.readableBytes();
            buf.release();
        }
        return bytes;
    }
}
