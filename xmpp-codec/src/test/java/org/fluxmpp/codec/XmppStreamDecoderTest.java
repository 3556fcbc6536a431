package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fluxmpp.codec.Feed.HEADER;
import static org.fluxmpp.codec.Feed.STREAM_NS;
import static org.fluxmpp.codec.Feed.decode;
import static org.fluxmpp.codec.Feed.elements;
import static org.fluxmpp.codec.Feed.utf8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import org.fluxmpp.codec.Feed.Kind;
import org.fluxmpp.stream.StreamError.Condition;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.xml.XmlElement;
import org.fluxmpp.xml.XmlText;
import org.junit.jupiter.api.Test;

class XmppStreamDecoderTest {

    @Test
    void opensTheStreamWithEveryHeaderAttribute() {
        List<StreamEvent> events = decode(HEADER);

        assertThat(events).containsExactly(new StreamEvent.Open(new StreamHeader("example.com",
                "juliet@example.com", "abc", "1.0", "en", "jabber:client", STREAM_NS, "stream")));
    }

    @Test
    void reportsAbsentHeaderAttributesAsNull() {
        List<StreamEvent> events = decode("<s:stream xmlns:s='" + STREAM_NS + "' foo='bar'>");

        assertThat(events).containsExactly(new StreamEvent.Open(
                new StreamHeader(null, null, null, null, null, null, STREAM_NS, "s")));
    }

    @Test
    void reportsTheContentNamespaceAsSent() {
        List<StreamEvent> events = decode("<stream:stream xmlns='jabber:server' xmlns:stream='" + STREAM_NS + "'>");

        assertThat(((StreamEvent.Open) events.get(0)).header().contentNamespace()).isEqualTo("jabber:server");
    }

    @Test
    void putsStanzasWithoutXmlnsInTheContentNamespace() {
        List<StreamEvent> events = decode(HEADER
                + "<message to='romeo@example.net' type='chat' xml:lang='fr'><body>hi</body></message>");

        assertThat(elements(events)).containsExactly(XmlElement.builder("jabber:client", "message")
                .attribute("to", "romeo@example.net").attribute("type", "chat")
                .attribute(XMLConstants.XML_NS_URI, "lang", "fr")
                .child(XmlElement.builder("jabber:client", "body").text("hi").build())
                .build());
    }

    @Test
    void resolvesDeclaredNamespacesAndPrefixes() {
        List<StreamEvent> events = decode(HEADER + "<iq type='get' id='1'><query xmlns='jabber:iq:roster'>"
                + "<item jid='a@b'/></query><x:ext xmlns:x='urn:x' x:flag='on' plain='1'><x:y/><z/></x:ext></iq>");

        assertThat(elements(events)).containsExactly(XmlElement.builder("jabber:client", "iq")
                .attribute("type", "get").attribute("id", "1")
                .child(XmlElement.builder("jabber:iq:roster", "query")
                        .child(XmlElement.builder("jabber:iq:roster", "item").attribute("jid", "a@b").build())
                        .build())
                .child(XmlElement.builder("urn:x", "ext").attribute("urn:x", "flag", "on").attribute("plain", "1")
                        .child(XmlElement.empty("urn:x", "y"))
                        .child(XmlElement.empty("jabber:client", "z"))
                        .build())
                .build());
    }

    @Test
    void readsStreamNamespaceElements() {
        List<StreamEvent> events = decode(HEADER + "<stream:features><starttls"
                + " xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>");

        assertThat(elements(events)).containsExactly(XmlElement.builder(STREAM_NS, "features")
                .child(XmlElement.builder("urn:ietf:params:xml:ns:xmpp-tls", "starttls")
                        .child(XmlElement.empty("urn:ietf:params:xml:ns:xmpp-tls", "required")).build())
                .build());
    }

    @Test
    void skipsKeepaliveWhitespaceBetweenStanzas() {
        List<StreamEvent> events = decode(HEADER + " \n <presence/> \t\r\n <presence/>  \n");

        assertThat(events).hasSize(3);
        assertThat(elements(events)).containsExactly(XmlElement.empty("jabber:client", "presence"),
                XmlElement.empty("jabber:client", "presence"));
    }

    @Test
    void closesTheStream() {
        List<StreamEvent> events = decode(HEADER + "<presence/></stream:stream>\n  ");

        assertThat(events).hasSize(3).last().isSameAs(StreamEvent.Close.INSTANCE);
    }

    @Test
    void refusesDataAfterTheStreamClosed() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        List<StreamEvent> events = new ArrayList<>();
        Feed.read(decoder, utf8(HEADER + "</stream:stream> "), 0, HEADER.length() + 17, Kind.POOLED_DIRECT, events);

        byte[] more = utf8("<presence/>");
        assertThatThrownBy(() -> Feed.read(decoder, more, 0, more.length, Kind.POOLED_DIRECT, events))
                .isInstanceOfSatisfying(StreamErrorException.class,
                        e -> assertThat(e.condition()).isEqualTo(Condition.NOT_WELL_FORMED));
        assertThat(events).hasSize(2);
    }

    @Test
    void refusesDataAfterTheCloseInTheSameBuffer() {
        assertThat(Feed.error(HEADER + "</stream:stream>  <presence/>").condition())
                .isEqualTo(Condition.NOT_WELL_FORMED);
    }

    @Test
    void expandsPredefinedEntitiesAndCharacterReferences() {
        List<StreamEvent> events = decode(HEADER + "<message id='&lt;&amp;&gt;&apos;&quot;&#65;&#x1F600;'>"
                + "<body>&lt;&gt;&amp;&apos;&quot;&#65;&#x1F600;&#xE9;</body></message>");

        XmlElement message = elements(events).get(0);
        assertThat(message.attribute("id")).isEqualTo("<&>'\"A\uD83D\uDE00");
        assertThat(message.firstChild().text()).isEqualTo("<>&'\"A\uD83D\uDE00\u00E9");
        assertThat(message.firstChild().nodes()).hasSize(1);
    }

    @Test
    void mergesCdataIntoTheSurroundingText() {
        List<StreamEvent> events = decode(HEADER + "<message><body>a<![CDATA[<b>&amp;]]>c</body></message>");

        assertThat(elements(events).get(0).firstChild().nodes()).containsExactly(new XmlText("a<b>&amp;c"));
    }

    @Test
    void keepsMixedContentAndWhitespaceInsideStanzas() {
        List<StreamEvent> events = decode(HEADER + "<message>\n  <html xmlns='http://jabber.org/protocol/xhtml-im'>"
                + "<p>Hello <b>World</b>!</p></html>\n</message>");

        XmlElement message = elements(events).get(0);
        String xhtml = "http://jabber.org/protocol/xhtml-im";
        assertThat(message).isEqualTo(XmlElement.builder("jabber:client", "message")
                .text("\n  ")
                .child(XmlElement.builder(xhtml, "html").child(XmlElement.builder(xhtml, "p")
                        .text("Hello ").child(XmlElement.builder(xhtml, "b").text("World").build()).text("!")
                        .build()).build())
                .text("\n")
                .build());
    }

    @Test
    void normalisesLineEndsAsXmlRequires() {
        List<StreamEvent> events = decode(HEADER + "<message a='x\ty\nz'><body>1\r\n2\r3&#xD;</body></message>");

        XmlElement message = elements(events).get(0);
        assertThat(message.attribute("a")).isEqualTo("x y z");
        assertThat(message.firstChild().text()).isEqualTo("1\n2\n3\r");
    }

    @Test
    void keepsWhiteSpaceAroundAttributeValuesAndRepeatsValuesExactly() {
        // The decoder shares repeating short values between stanzas and reads them without a string first; white
        // space at either end, empty values and values around the sharing limit must come out exactly as sent.
        String long32 = "a".repeat(32);
        String long33 = "a".repeat(33);
        StringBuilder xml = new StringBuilder(HEADER);
        String[][] values = {
            {" x", "x ", " ", "", "x"},
            {"x", "x", "&#9;x&#9;", "  x  ", "x\u00E9"},
            {long32, long33, "", " ", long32},
            {"x ", " x", "x", "x", "x"},
        };
        for (String[] v : values) {
            xml.append("<message a='").append(v[0]).append("' b='").append(v[1]).append("' c='").append(v[2])
                    .append("' d='").append(v[3]).append("'><body>").append(v[4]).append("</body></message>");
        }
        List<XmlElement> stanzas = elements(decode(xml.toString()));

        assertThat(stanzas).hasSize(values.length);
        for (int i = 0; i < values.length; i++) {
            XmlElement m = stanzas.get(i);
            assertThat(m.attribute("a")).isEqualTo(values[i][0]);
            assertThat(m.attribute("b")).isEqualTo(values[i][1]);
            assertThat(m.attribute("c")).isEqualTo(values[i][2].replace("&#9;", "\t"));
            assertThat(m.attribute("d")).isEqualTo(values[i][3]);
            assertThat(m.firstChild().text()).isEqualTo(values[i][4]);
        }
    }

    @Test
    void startsANewDocumentAfterReset() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        List<StreamEvent> events = Feed.decode(decoder, utf8(HEADER + "<starttls xmlns='urn:ietf:params:xml:ns:"
                + "xmpp-tls'/>"), new int[0], Kind.POOLED_DIRECT);
        decoder.reset();
        events.addAll(Feed.decode(decoder, utf8(HEADER + "<presence/>"), new int[0], Kind.POOLED_HEAP));

        assertThat(events).hasSize(4);
        assertThat(events.get(2)).isInstanceOf(StreamEvent.Open.class);
        assertThat(elements(events)).extracting(XmlElement::localName).containsExactly("starttls", "presence");
    }

    @Test
    void restartsFromTheConsumerAndDropsTrailingWhitespace() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        List<StreamEvent> events = new ArrayList<>();
        ByteBuf buf = Unpooled.copiedBuffer(utf8(HEADER + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/> \n"));
        try {
            decoder.decode(buf, e -> {
                events.add(e);
                if (e instanceof StreamEvent.Element) {
                    decoder.reset();
                }
            });
        } finally {
            buf.release();
        }
        events.addAll(decode(decoder, utf8(HEADER), new int[0], Kind.HEAP));

        assertThat(events).hasSize(3).last().isInstanceOf(StreamEvent.Open.class);
    }

    @Test
    void refusesDataPipelinedAfterARestartPoint() {
        // STARTTLS command injection: plaintext sent after <starttls/> must never be read as part of the new stream.
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(utf8(HEADER
                + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" + HEADER));
        try {
            assertThatThrownBy(() -> decoder.decode(buf, e -> {
                if (e instanceof StreamEvent.Element) {
                    decoder.reset();
                }
            })).isInstanceOfSatisfying(StreamErrorException.class,
                    e -> assertThat(e.condition()).isEqualTo(Condition.POLICY_VIOLATION));
        } finally {
            buf.release();
        }
    }

    @Test
    void refusesPipelinedDataInALaterComponentOfTheSameRead() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        byte[] bytes = utf8(HEADER + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>   <presence/>");
        ByteBuf buf = Kind.COMPOSITE.wrap(bytes, 0, bytes.length);
        try {
            assertThatThrownBy(() -> decoder.decode(buf, e -> {
                if (e instanceof StreamEvent.Element) {
                    decoder.reset();
                }
            })).isInstanceOf(StreamErrorException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void refusesInputAfterAFailureUntilReset() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        byte[] bad = utf8("<html>");
        assertThatThrownBy(() -> Feed.read(decoder, bad, 0, bad.length, Kind.HEAP, new ArrayList<>()))
                .isInstanceOf(StreamErrorException.class);
        byte[] good = utf8(HEADER);
        assertThatThrownBy(() -> Feed.read(decoder, good, 0, good.length, Kind.HEAP, new ArrayList<>()))
                .isInstanceOf(IllegalStateException.class);

        decoder.reset();

        assertThat(decode(decoder, good, new int[0], Kind.HEAP)).hasSize(1);
    }

    @Test
    void refusesToBeCalledFromItsOwnConsumer() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        ByteBuf buf = Unpooled.copiedBuffer(utf8(HEADER));
        try {
            assertThatThrownBy(() -> decoder.decode(buf, e -> decoder.decode(Unpooled.EMPTY_BUFFER, x -> { })))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void failsWhenTheConsumerFails() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        ByteBuf buf = Unpooled.copiedBuffer(utf8(HEADER));
        try {
            assertThatThrownBy(() -> decoder.decode(buf, e -> {
                throw new IllegalArgumentException("boom");
            })).hasMessage("boom");
            assertThatThrownBy(() -> decoder.decode(Unpooled.copiedBuffer(utf8(" ")), e -> { }))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void ignoresAnEmptyBuffer() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        List<StreamEvent> events = new ArrayList<>();

        decoder.decode(Unpooled.EMPTY_BUFFER, events::add);

        assertThat(events).isEmpty();
    }

    @Test
    void readsOnlyTheReadableBytes() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        byte[] bytes = utf8("JUNK" + HEADER + "<presence/>JUNK");
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer().writeBytes(bytes);
        List<StreamEvent> events = new ArrayList<>();
        try {
            buf.readerIndex(4).writerIndex(bytes.length - 4);
            decoder.decode(buf, events::add);
            assertThat(buf.readerIndex()).isEqualTo(bytes.length - 4);
        } finally {
            buf.release();
        }
        assertThat(events).hasSize(2);
    }

    @Test
    void readsEveryComponentOfACompositeBuffer() {
        byte[] bytes = utf8(HEADER + "<message><body>caf\u00E9 \uD83D\uDE00</body></message></stream:stream>");
        List<StreamEvent> whole = decode(new XmppStreamDecoder(), bytes, new int[0], Kind.HEAP);

        List<StreamEvent> composite = decode(new XmppStreamDecoder(), bytes, new int[0], Kind.COMPOSITE);

        assertThat(composite).isEqualTo(whole).hasSize(3);
    }

    @Test
    void readsBuffersLargerThanOneSlice() {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 0; i < 2000; i++) {
            sb.append("<message id='m").append(i).append("'><body>\u00E9\u20AC\uD83D\uDE00 ").append(i)
                    .append("</body></message>");
        }
        byte[] bytes = utf8(sb.toString());
        assertThat(bytes.length).isGreaterThan(10 * XmppStreamDecoder.SLICE_BYTES);

        List<StreamEvent> events = decode(new XmppStreamDecoder(), bytes, new int[0], Kind.POOLED_DIRECT);

        assertThat(elements(events)).hasSize(2000);
        assertThat(elements(events).get(1999).attribute("id")).isEqualTo("m1999");
    }

    @Test
    void compactsWhenIdleAndGoesOnAsBefore() {
        String header = "<?xml version='1.0'?><x:stream xmlns='jabber:client' xmlns:x='" + STREAM_NS + "'"
                + " xmlns:ext='urn:ext&amp;&apos;&lt;' to='example.com'>";
        String rest = "<message><body>caf\u00E9</body></message>\n<ext:e ext:a='1'/><presence/></x:stream>";
        byte[] all = utf8(header + "<presence/> " + rest);
        List<StreamEvent> expected = decode(new XmppStreamDecoder(), all, new int[0], Kind.HEAP);
        byte[] first = utf8(header + "<presence/> ");
        byte[] second = utf8(rest);

        for (int cut = 1; cut < second.length; cut++) {
            XmppStreamDecoder decoder = new XmppStreamDecoder();
            List<StreamEvent> events = decode(decoder, first, new int[0], Kind.POOLED_DIRECT);
            assertThat(decoder.compact()).isTrue();
            assertThat(decoder.compact()).as("already compact").isFalse();
            events.addAll(decode(decoder, second, new int[] {cut}, Kind.POOLED_HEAP));
            assertThat(events).as("cut at %d", cut).isEqualTo(expected);
        }
        assertThat(elements(expected).get(2)).isEqualTo(XmlElement.builder("urn:ext&'<", "e")
                .attribute("urn:ext&'<", "a", "1").build());
    }

    @Test
    void compactsOnlyBetweenElementsOfAnOpenStream() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        assertThat(decoder.compact()).as("before the header").isFalse();

        List<StreamEvent> events = decode(decoder, utf8(HEADER + "<message><body>hal"), new int[0], Kind.HEAP);
        assertThat(decoder.compact()).as("inside a stanza").isFalse();
        events.addAll(decode(decoder, utf8("f</body></message><pres"), new int[0], Kind.HEAP));
        assertThat(decoder.compact()).as("inside a start tag").isFalse();
        byte[] end = utf8("ence/>\u00E9");
        events.addAll(decode(decoder, java.util.Arrays.copyOf(end, 7), new int[0], Kind.HEAP));
        assertThat(decoder.compact()).as("inside a character").isFalse();
        byte[] rest = {(byte) 0xA9};
        assertThatThrownBy(() -> decode(decoder, rest, new int[0], Kind.HEAP))
                .isInstanceOfSatisfying(StreamErrorException.class,
                        e -> assertThat(e.condition()).isEqualTo(Condition.BAD_FORMAT));

        assertThat(elements(events)).extracting(XmlElement::localName).containsExactly("message", "presence");
        XmppStreamDecoder closed = new XmppStreamDecoder();
        decode(closed, utf8(HEADER + "</stream:stream>"), new int[0], Kind.HEAP);
        assertThat(closed.compact()).as("after the close").isFalse();
    }

    @Test
    void refusesToCompactFromTheConsumer() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        ByteBuf buf = Unpooled.copiedBuffer(utf8(HEADER));
        try {
            assertThatThrownBy(() -> decoder.decode(buf, e -> decoder.compact()))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void keepsEnforcingLimitsAfterCompact() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(DecoderLimits.defaults().withMaxStanzaBytes(10_000));
        decode(decoder, utf8(HEADER), new int[0], Kind.HEAP);
        assertThat(decoder.compact()).isTrue();
        String big = "<message><body>" + "x".repeat(10_000) + "</body></message>";

        assertThatThrownBy(() -> decode(decoder, utf8(big), new int[0], Kind.HEAP))
                .isInstanceOfSatisfying(StreamErrorException.class,
                        e -> assertThat(e.error().application()).isNotNull());
    }

    @Test
    void copiesABufferThatHasNoNioView() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        ByteBuf inner = PooledByteBufAllocator.DEFAULT.heapBuffer().writeBytes(utf8(HEADER + "<presence/>"));
        ByteBuf noNio = new io.netty.buffer.WrappedByteBuf(inner) {
            @Override
            public int nioBufferCount() {
                return -1;
            }
        };
        List<StreamEvent> events = new ArrayList<>();
        try {
            decoder.decode(noNio, events::add);
            assertThat(noNio.isReadable()).isFalse();
        } finally {
            noNio.release();
        }

        assertThat(elements(events)).containsExactly(XmlElement.empty("jabber:client", "presence"));
    }

    @Test
    void tellsWhetherEverythingFedEndsAtAnElementBoundary() {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        assertThat(decoder.atElementBoundary()).as("before the header").isFalse();
        List<StreamEvent> events = new ArrayList<>();
        feed(decoder, HEADER, events);
        assertThat(decoder.atElementBoundary()).as("after the header").isTrue();
        feed(decoder, "<presence/><mes", events);
        assertThat(decoder.atElementBoundary()).as("inside a start tag").isFalse();
        feed(decoder, "sage>", events);
        assertThat(decoder.atElementBoundary()).as("inside an element").isFalse();
        feed(decoder, "</message>", events);
        assertThat(decoder.atElementBoundary()).as("after it").isTrue();
        assertThat(elements(events)).hasSize(2);
    }

    private static void feed(XmppStreamDecoder decoder, String xml, List<StreamEvent> events) {
        ByteBuf buf = Unpooled.wrappedBuffer(utf8(xml));
        try {
            decoder.decode(buf, events::add);
        } finally {
            buf.release();
        }
    }
}
