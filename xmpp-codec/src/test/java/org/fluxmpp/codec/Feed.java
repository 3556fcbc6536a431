package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fluxmpp.stream.StreamErrorException;

/** Feeds bytes to a decoder the way a socket would, in buffers of several kinds, and collects the events. */
final class Feed {

    static final String STREAM_NS = "http://etherx.jabber.org/streams";
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' from='juliet@example.com'"
            + " version='1.0' xml:lang='en' id='abc'>";

    /** How the bytes of one read are held. */
    enum Kind {
        /** An unpooled heap buffer (not leak-tracked: Netty tracks pooled and direct buffers). */
        HEAP,
        POOLED_DIRECT,
        POOLED_HEAP,
        /** A composite of two or three pooled components. */
        COMPOSITE;

        ByteBuf wrap(byte[] bytes, int from, int to) {
            int n = to - from;
            return switch (this) {
                case HEAP -> Unpooled.buffer(n).writeBytes(bytes, from, n);
                case POOLED_DIRECT -> PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(bytes, from, n);
                case POOLED_HEAP -> PooledByteBufAllocator.DEFAULT.heapBuffer(n).writeBytes(bytes, from, n);
                case COMPOSITE -> {
                    ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
                    CompositeByteBuf c = alloc.compositeBuffer();
                    int a = from + n / 3;
                    int b = from + 2 * n / 3;
                    c.addComponent(true, alloc.directBuffer(Math.max(1, a - from)).writeBytes(bytes, from, a - from));
                    c.addComponent(true, alloc.heapBuffer(Math.max(1, b - a)).writeBytes(bytes, a, b - a));
                    c.addComponent(true, alloc.directBuffer(Math.max(1, to - b)).writeBytes(bytes, b, to - b));
                    yield c;
                }
            };
        }
    }

    private Feed() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes {@code bytes} in one read with a fresh decoder. */
    static List<StreamEvent> decode(String xml) {
        return decode(new XmppStreamDecoder(), utf8(xml), new int[0], Kind.POOLED_DIRECT);
    }

    /** Decodes {@code bytes}, cut at the given offsets (ascending), each piece one read. */
    static List<StreamEvent> decode(XmppStreamDecoder decoder, byte[] bytes, int[] cuts, Kind kind) {
        List<StreamEvent> events = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            if (to > from) {
                read(decoder, bytes, from, to, kind, events);
            }
            from = to;
        }
        return events;
    }

    /** Decodes {@code bytes} in reads of {@code chunk} bytes. */
    static List<StreamEvent> decodeInChunks(XmppStreamDecoder decoder, byte[] bytes, int chunk, Kind kind) {
        List<StreamEvent> events = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += chunk) {
            read(decoder, bytes, from, Math.min(bytes.length, from + chunk), kind, events);
        }
        return events;
    }

    /** One read: the buffer is released whatever happens, as a channel handler would. */
    static void read(XmppStreamDecoder decoder, byte[] bytes, int from, int to, Kind kind, List<StreamEvent> out) {
        ByteBuf buf = kind.wrap(bytes, from, to);
        try {
            decoder.decode(buf, out::add);
            assertThat(buf.isReadable()).as("all bytes consumed").isFalse();
            assertThat(buf.refCnt()).as("the decoder does not release").isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    /** The stream error decoding {@code xml} in one read raises. */
    static StreamErrorException error(String xml) {
        return error(utf8(xml));
    }

    static StreamErrorException error(byte[] bytes) {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        try {
            decode(decoder, bytes, new int[0], Kind.POOLED_HEAP);
        } catch (StreamErrorException e) {
            return e;
        }
        throw new AssertionError("no stream error");
    }

    /** The elements among {@code events}. */
    static List<org.fluxmpp.xml.XmlElement> elements(List<StreamEvent> events) {
        List<org.fluxmpp.xml.XmlElement> out = new ArrayList<>();
        for (StreamEvent e : events) {
            if (e instanceof StreamEvent.Element el) {
                out.add(el.element());
            }
        }
        return out;
    }
}
