package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.stream.LongStream;
import org.fluxmpp.codec.Feed.Kind;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever tree the encoder writes, the decoder reads back equal, however the bytes are cut. */
class RoundTripPropertiesTest {

    private static final XmppStreamEncoder ENCODER = new XmppStreamEncoder();

    private static final String[] CONTENT_NAMESPACES = {"jabber:client", "jabber:server", "urn:a"};

    static LongStream seeds() {
        return LongStream.range(0, 500);
    }

    /** Each seed is one reproducible case: random trees, a content namespace, a chunk size and a buffer kind. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void encodedElementsDecodeEqual(long seed) {
        RandomXml gen = new RandomXml(seed);
        List<XmlElement> elements = gen.elements(5, 3);
        String contentNamespace = gen.oneOf(CONTENT_NAMESPACES);
        int chunk = gen.random().nextBoolean() ? gen.between(1, 16) : gen.between(17, 1 << 16);
        Kind kind = gen.oneOf(Kind.values());
        ByteBuf out = PooledByteBufAllocator.DEFAULT.heapBuffer();
        byte[] bytes;
        try {
            ByteBuf open = ENCODER.encodeOpen(StreamHeader.of(contentNamespace, "a.example", null, "id", "1.0",
                    null), PooledByteBufAllocator.DEFAULT);
            out.writeBytes(open);
            open.release();
            for (XmlElement e : elements) {
                ByteBuf one = ENCODER.encode(e, contentNamespace, PooledByteBufAllocator.DEFAULT);
                out.writeBytes(one).writeByte(' ');
                one.release();
            }
            ByteBuf close = ENCODER.encodeClose(PooledByteBufAllocator.DEFAULT);
            out.writeBytes(close);
            close.release();
            bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
        } finally {
            out.release();
        }

        List<StreamEvent> events = Feed.decodeInChunks(new XmppStreamDecoder(), bytes, chunk, kind);

        assertThat(((StreamEvent.Open) events.get(0)).header())
                .isEqualTo(StreamHeader.of(contentNamespace, "a.example", null, "id", "1.0", null));
        assertThat(Feed.elements(events)).isEqualTo(elements);
        assertThat(events).last().isEqualTo(StreamEvent.Close.INSTANCE);
    }
}
