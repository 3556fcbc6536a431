package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import javax.xml.XMLConstants;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.fluxmpp.codec.Feed.Kind;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.xml.XmlElement;
import org.fluxmpp.xml.XmlNode;
import org.fluxmpp.xml.XmlText;

/** Whatever tree the encoder writes, the decoder reads back equal, however the bytes are cut. */
class RoundTripPropertiesTest {

    private static final XmppStreamEncoder ENCODER = new XmppStreamEncoder();

    @AfterContainer
    static void noLeaks() throws InterruptedException {
        LeakCheck.assertNoLeaks();
    }

    @Property(tries = 500)
    void encodedElementsDecodeEqual(@ForAll("elements") List<XmlElement> elements,
                                    @ForAll("contentNamespaces") String contentNamespace,
                                    @ForAll("chunks") int chunk, @ForAll Kind kind) {
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

    @Provide
    Arbitrary<String> contentNamespaces() {
        return Arbitraries.of("jabber:client", "jabber:server", "urn:a");
    }

    @Provide
    Arbitrary<Integer> chunks() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 16), Arbitraries.integers().between(17, 1 << 16));
    }

    @Provide
    Arbitrary<List<XmlElement>> elements() {
        return element(3).list().ofMinSize(1).ofMaxSize(5);
    }

    private Arbitrary<XmlElement> element(int depth) {
        Arbitrary<List<XmlNode>> content = depth == 0
                ? text().map(t -> List.<XmlNode>of(new XmlText(t))).injectNull(0.5)
                        .map(l -> l == null ? List.<XmlNode>of() : l)
                : Arbitraries.oneOf(element(depth - 1).map(e -> (XmlNode) e), text().map(XmlText::new))
                        .list().ofMaxSize(4);
        return Combinators.combine(namespaces(), names(), attributes(), content).as((ns, name, attrs, nodes) -> {
            XmlElement.Builder b = XmlElement.builder(ns, name);
            for (String[] a : attrs) {
                b.attribute(a[0], a[1], a[2]);
            }
            nodes.forEach(b::node);
            return b.build();
        });
    }

    private Arbitrary<String> namespaces() {
        return Arbitraries.of("", "jabber:client", "jabber:server", "urn:a", "urn:b:\u00E9",
                StreamError.STREAM_NAMESPACE, "http://jabber.org/protocol/caps", "urn:x?a=1&b='2'");
    }

    /** NCNames that both XML 1.0 editions accept (Aalto reads names by the fourth edition's tables). */
    private Arbitrary<String> names() {
        Arbitrary<Character> first = Arbitraries.oneOf(Arbitraries.chars().range('a', 'z'),
                Arbitraries.chars().range('A', 'Z'), Arbitraries.of('_', '\u00E9', '\u00C0', '\u03B1', '\u4E2D'));
        Arbitrary<Character> rest = Arbitraries.oneOf(first, Arbitraries.chars().range('0', '9'),
                Arbitraries.of('-', '.', '\u00B7'));
        return Combinators.combine(first, rest.list().ofMaxSize(8)).as((f, r) -> {
            StringBuilder sb = new StringBuilder().append(f);
            r.forEach(sb::append);
            return sb.toString();
        }).filter(s -> !s.toLowerCase(java.util.Locale.ROOT).startsWith("xml"));
    }

    private Arbitrary<List<String[]>> attributes() {
        Arbitrary<String[]> plain = Combinators.combine(Arbitraries.of("", "", "urn:a", "urn:b", "urn:c"), names(),
                text()).as((ns, n, v) -> new String[] {ns, n, v});
        Arbitrary<String[]> lang = text().map(v -> new String[] {XMLConstants.XML_NS_URI, "lang", v});
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, plain), net.jqwik.api.Tuple.of(1, lang))
                .list().ofMaxSize(4);
    }

    /** Any text XML can carry: markup characters, line ends, tabs, and characters of every UTF-8 length. */
    private Arbitrary<String> text() {
        Arbitrary<String> chars = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7E).map(Character::toString),
                Arbitraries.of("<", ">", "&", "'", "\"", "]]>", "\t", "\n", "\r", "\r\n", " ", "&amp;"),
                Arbitraries.integers().between(0x80, 0x7FF).map(Character::toString),
                Arbitraries.integers().between(0x800, 0xD7FF).map(Character::toString),
                Arbitraries.integers().between(0xE000, 0xFFFD).map(Character::toString),
                Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString));
        return chars.list().ofMaxSize(12).map(l -> String.join("", l));
    }
}
