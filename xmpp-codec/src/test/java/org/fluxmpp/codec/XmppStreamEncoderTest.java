package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import javax.xml.XMLConstants;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmppStreamEncoderTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private final XmppStreamEncoder encoder = new XmppStreamEncoder();

    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    private String encode(XmlElement e) {
        return text(encoder.encode(e, "jabber:client", ALLOC));
    }

    @Test
    void writesTheStreamHeaderWithEveryAttribute() {
        StreamHeader header = StreamHeader.of("jabber:client", "example.com", "juliet@example.com", "abc", "1.0",
                "en");

        assertThat(text(encoder.encodeOpen(header, ALLOC))).isEqualTo("<?xml version='1.0'?><stream:stream"
                + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='abc' from='example.com'"
                + " to='juliet@example.com' version='1.0' xml:lang='en'>");
    }

    @Test
    void leavesAbsentHeaderAttributesOut() {
        StreamHeader header = StreamHeader.of(null, null, null, null, null, null);

        assertThat(text(encoder.encodeOpen(header, ALLOC)))
                .isEqualTo("<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>");
    }

    @Test
    void escapesHeaderAttributes() {
        StreamHeader header = StreamHeader.of("jabber:client", "a'b&c", null, "<id>", null, null);

        assertThat(text(encoder.encodeOpen(header, ALLOC))).contains(" id='&lt;id&gt;' from='a&apos;b&amp;c'");
        assertThatThrownBy(() -> encoder.encodeOpen(StreamHeader.of(null, "\u0000", null, null, null, null), ALLOC))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesTheStreamClose() {
        assertThat(text(encoder.encodeClose(ALLOC))).isEqualTo("</stream:stream>");
    }

    @Test
    void leavesOutTheContentNamespace() {
        XmlElement message = XmlElement.builder("jabber:client", "message").attribute("to", "romeo@example.net")
                .attribute("type", "chat").child(XmlElement.builder("jabber:client", "body").text("hi").build())
                .build();

        assertThat(encode(message))
                .isEqualTo("<message to='romeo@example.net' type='chat'><body>hi</body></message>");
        assertThat(text(encoder.encode(message, "jabber:server", ALLOC))).isEqualTo("<message xmlns='jabber:client'"
                + " to='romeo@example.net' type='chat'><body>hi</body></message>");
    }

    @Test
    void writesStreamNamespaceElementsWithTheStreamPrefix() {
        String tls = "urn:ietf:params:xml:ns:xmpp-tls";
        XmlElement features = XmlElement.builder(StreamError.STREAM_NAMESPACE, "features")
                .child(XmlElement.builder(tls, "starttls").child(XmlElement.empty(tls, "required")).build())
                .child(XmlElement.empty("jabber:client", "other"))
                .build();

        assertThat(encode(features)).isEqualTo("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
                + "<required/></starttls><other/></stream:features>");
        assertThat(encode(StreamError.of(StreamError.Condition.NOT_WELL_FORMED).withText("bad").toElement()))
                .isEqualTo("<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                        + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bad</text></stream:error>");
    }

    @Test
    void declaresNamespacesOnlyWhereTheyChange() {
        XmlElement iq = XmlElement.builder("jabber:client", "iq").attribute("type", "result")
                .child(XmlElement.builder("jabber:iq:roster", "query")
                        .child(XmlElement.builder("jabber:iq:roster", "item").attribute("jid", "a@b")
                                .child(XmlElement.builder("jabber:iq:roster", "group").text("g").build())
                                .child(XmlElement.empty("", "unqualified"))
                                .build())
                        .build())
                .build();

        assertThat(encode(iq)).isEqualTo("<iq type='result'><query xmlns='jabber:iq:roster'><item jid='a@b'>"
                + "<group>g</group><unqualified xmlns=''/></item></query></iq>");
        assertThat(text(encoder.encode(XmlElement.empty("", "x"), "", ALLOC))).isEqualTo("<x/>");
    }

    @Test
    void prefixesQualifiedAttributes() {
        XmlElement e = XmlElement.builder("jabber:client", "message")
                .attribute(XMLConstants.XML_NS_URI, "lang", "en")
                .attribute("urn:a", "x", "1").attribute("id", "7").attribute("urn:b", "y", "2")
                .attribute("urn:a", "z", "3")
                .child(XmlElement.builder("jabber:client", "body").attribute("urn:b", "w", "4").build())
                .build();

        assertThat(encode(e)).isEqualTo("<message xml:lang='en' xmlns:ns0='urn:a' ns0:x='1' id='7'"
                + " xmlns:ns1='urn:b' ns1:y='2' ns0:z='3'><body xmlns:ns0='urn:b' ns0:w='4'/></message>");
    }

    @Test
    void escapesTextAndAttributes() {
        XmlElement e = XmlElement.builder("jabber:client", "body").attribute("a", "'\"<>&\t\n\r")
                .text("<a> & 'b' \"c\" ]]> \t\n\r").build();

        assertThat(encode(e)).isEqualTo("<body a='&apos;\"&lt;&gt;&amp;&#x9;&#xA;&#xD;'>&lt;a&gt; &amp; 'b' \"c\""
                + " ]]&gt; \t\n&#xD;</body>");
    }

    @Test
    void writesUtf8IncludingAstralCharacters() {
        XmlElement e = XmlElement.builder("jabber:client", "b\u00F6dy").attribute("\u4E2D", "\uD83D\uDE00")
                .text("caf\u00E9 \u20AC \uD800\uDF48 \uFFFD").build();

        ByteBuf buf = encoder.encode(e, "jabber:client", ALLOC);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes).release();

        assertThat(bytes).isEqualTo(("<b\u00F6dy \u4E2D='\uD83D\uDE00'>caf\u00E9 \u20AC \uD800\uDF48 \uFFFD"
                + "</b\u00F6dy>").getBytes(StandardCharsets.UTF_8));
        assertThat(bytes).containsSequence(0xF0 - 256, 0x9F - 256, 0x98 - 256, 0x80 - 256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0001", "\u001F", "\uFFFE", "\uFFFF", "\uD800", "\uDC00", "a\uD83D",
        "\uDE00\uD83D"})
    void refusesCharactersXmlDoesNotAllow(String bad) {
        for (Function<String, XmlElement> where : java.util.List.<Function<String, XmlElement>>of(
                s -> XmlElement.builder("jabber:client", "body").text(s).build(),
                s -> XmlElement.builder("jabber:client", "body").attribute("a", s).build(),
                s -> XmlElement.builder("urn:" + s, "body").build(),
                s -> XmlElement.builder("jabber:client", "message")
                        .child(XmlElement.builder("jabber:client", "body").text("ok " + s).build()).build())) {
            XmlElement element = where.apply(bad);
            assertThatThrownBy(() -> encoder.encode(element, "jabber:client", ALLOC))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not allowed in XML");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "1a", "-a", "a:b", "a<b", "a>", "a'", "a&b", "\u00D7", "a\u0000", "a\uD83D"})
    void refusesNamesThatAreNotNcNames(String bad) {
        assertThatThrownBy(() -> encode(XmlElement.empty("jabber:client", bad)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NCName");
        assertThatThrownBy(() -> encode(XmlElement.builder("jabber:client", "m").attribute(bad, "v").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NCName");
        assertThatThrownBy(() -> encode(XmlElement.builder("jabber:client", "m").attribute("urn:a", bad, "v")
                .build())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsNamesOfXml10FifthEdition() {
        assertThat(encode(XmlElement.empty("jabber:client", "\u00C0-._\u00B7\u0300\u4E2D\uD800\uDC00x1")))
                .isEqualTo("<\u00C0-._\u00B7\u0300\u4E2D\uD800\uDC00x1/>");
    }

    @Test
    void refusesNamespaceDeclarationsPosingAsAttributes() {
        assertThatThrownBy(() -> encode(XmlElement.builder("jabber:client", "m").attribute("xmlns", "urn:x")
                .build())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(XmlElement.builder("jabber:client", "m")
                .attribute(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "p", "urn:x").build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(XmlElement.empty(XMLConstants.XML_NS_URI, "m")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appendsToAGivenBufferAndWritesNothingOnFailure() {
        ByteBuf out = ALLOC.directBuffer();
        try {
            encoder.encode(XmlElement.empty("jabber:client", "a"), "jabber:client", out);
            XmlElement bad = XmlElement.builder("jabber:client", "b").child(XmlElement.empty("jabber:client", "c"))
                    .text("\u0000").build();
            assertThatThrownBy(() -> encoder.encode(bad, "jabber:client", out))
                    .isInstanceOf(IllegalArgumentException.class);
            encoder.encode(XmlElement.empty("jabber:client", "d"), "jabber:client", out);

            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("<a/><d/>");
        } finally {
            out.release();
        }
    }

    @Test
    void encodesElementsLargerThanItsScratchSpace() {
        String text = "\u00E9\uD83D\uDE00<&>".repeat(50_000);
        XmlElement big = XmlElement.builder("jabber:client", "message")
                .child(XmlElement.builder("jabber:client", "body").text(text).build()).build();

        for (int i = 0; i < 2; i++) {
            ByteBuf buf = encoder.encode(big, "jabber:client", ALLOC);
            try {
                assertThat(buf.toString(StandardCharsets.UTF_8))
                        .isEqualTo("<message><body>" + "\u00E9\uD83D\uDE00&lt;&amp;&gt;".repeat(50_000)
                                + "</body></message>");
            } finally {
                buf.release();
            }
        }
        assertThat(encode(XmlElement.empty("jabber:client", "small"))).isEqualTo("<small/>");
    }

    @Test
    void writesAStandaloneElementWithItsNamespacesDeclared() {
        XmlElement message = XmlElement.builder("jabber:client", "message").attribute("to", "a@b")
                .child(XmlElement.builder("jabber:client", "body").text("hi").build()).build();
        XmlElement error = XmlElement.builder(StreamError.STREAM_NAMESPACE, "error")
                .child(XmlElement.empty("urn:ietf:params:xml:ns:xmpp-streams", "not-well-formed")).build();

        assertThat(text(encoder.encodeStandalone(message, ALLOC)))
                .isEqualTo("<message xmlns='jabber:client' to='a@b'><body>hi</body></message>");
        assertThat(text(encoder.encodeStandalone(error, ALLOC))).isEqualTo("<stream:error xmlns:stream='"
                + StreamError.STREAM_NAMESPACE + "'><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "</stream:error>");
    }
}
