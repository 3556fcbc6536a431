package org.fluxmpp.benchmarks;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.fluxmpp.codec.StreamEvent;
import org.fluxmpp.codec.XmppStreamDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding throughput on a realistic stanza mix ({@link StanzaMix}, {@value #STANZAS} stanzas, a few MB) fed in
 * 1460-byte buffers, as from a socket. One operation is one stanza, so JMH's ops/s are stanzas/s; MB/s is that times
 * {@link StanzaMix#bytes} over {@value #STANZAS} (printed at setup).
 *
 * <ul>
 *   <li>{@code decoder}: {@link XmppStreamDecoder}, with UTF-8 validation, limits and full {@code XmlElement}
 *       trees;</li>
 *   <li>{@code aaltoTokens}: the baseline, bare Aalto async tokenizing ({@code next()} until it needs input), no
 *       names, text or tree;</li>
 *   <li>{@code aaltoStrings}: Aalto plus every name, attribute value and text turned into a {@code String}, the
 *       least any tree builder needs.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecoderBenchmark {

    static final int STANZAS = 20_000;

    /** Where the socket buffers live: {@code heap} or {@code direct} (pooled, as Netty reads them). */
    @Param({"heap", "direct"})
    public String buffers;

    private ByteBuf[] chunks;
    private XmppStreamDecoder decoder;
    private Consumer<StreamEvent> sink;
    private int elements;
    private AsyncXMLInputFactory aalto;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) throws XMLStreamException {
        StanzaMix mix = StanzaMix.generate(STANZAS, 1);
        chunks = mix.chunks(PooledByteBufAllocator.DEFAULT, buffers.equals("direct"));
        decoder = new XmppStreamDecoder();
        sink = event -> {
            elements++;
            bh.consume(event);
        };
        InputFactoryImpl f = new InputFactoryImpl();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        aalto = f;
        if (decoder() != STANZAS + 1) {
            throw new IllegalStateException("the mix did not decode to " + STANZAS + " stanzas");
        }
        System.out.printf("%n[mix] %d stanzas, %d bytes, %.1f bytes/stanza, %d buffers of %d bytes%n", STANZAS,
                mix.bytes.length, (double) mix.bytes.length / STANZAS, chunks.length, StanzaMix.CHUNK);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (ByteBuf c : chunks) {
            c.release();
        }
    }

    @Benchmark
    @OperationsPerInvocation(STANZAS)
    public int decoder() {
        decoder.reset();
        elements = 0;
        for (ByteBuf c : chunks) {
            c.readerIndex(0);
            decoder.decode(c, sink);
        }
        return elements;
    }

    @Benchmark
    @OperationsPerInvocation(STANZAS)
    public int aaltoTokens() throws XMLStreamException {
        AsyncXMLStreamReader<AsyncByteBufferFeeder> r = aalto.createAsyncForByteBuffer();
        int sum = 0;
        for (ByteBuf c : chunks) {
            r.getInputFeeder().feedInput(c.nioBuffer(0, c.writerIndex()));
            int event;
            while ((event = r.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                sum += event;
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(STANZAS)
    public int aaltoStrings(Blackhole bh) throws XMLStreamException {
        AsyncXMLStreamReader<AsyncByteBufferFeeder> r = aalto.createAsyncForByteBuffer();
        int sum = 0;
        for (ByteBuf c : chunks) {
            r.getInputFeeder().feedInput(c.nioBuffer(0, c.writerIndex()));
            int event;
            while ((event = r.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                sum += event;
                if (event == XMLStreamConstants.START_ELEMENT) {
                    bh.consume(r.getLocalName());
                    bh.consume(r.getNamespaceURI());
                    for (int i = 0, n = r.getAttributeCount(); i < n; i++) {
                        bh.consume(r.getAttributeLocalName(i));
                        bh.consume(r.getAttributeNamespace(i));
                        bh.consume(r.getAttributeValue(i));
                    }
                } else if (event == XMLStreamConstants.CHARACTERS) {
                    bh.consume(r.getText());
                }
            }
        }
        return sum;
    }
}
