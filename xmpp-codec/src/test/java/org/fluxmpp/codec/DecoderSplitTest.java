package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fluxmpp.codec.Feed.elements;
import static org.fluxmpp.codec.Feed.utf8;

import java.util.List;
import org.fluxmpp.codec.Feed.Kind;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Input split anywhere decodes the same as input in one piece: exhaustively for a small stream that has a tag,
 * attributes, entities, CDATA and 2-, 3- and 4-byte UTF-8 characters at every position.
 */
class DecoderSplitTest {

    static final String SMALL = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='ex.com' version='1.0' xml:lang='fr'>"
            + "<message to='r\u00E9@ex.com' type='chat'><body>caf\u00E9 \u20AC \uD83D\uDE00 &amp;&#x1F600;"
            + "</body></message> \n"
            + "<presence><c xmlns='http://jabber.org/protocol/caps' ver='\u4E2D\u6587\uD800\uDF48'/></presence>"
            + "<iq type='get' id='x'><q xmlns='urn:x' a:b='1' xmlns:a='urn:a'><![CDATA[<a>]]>\r\n</q></iq>"
            + "</stream:stream>";

    private static byte[] bytes;
    private static List<StreamEvent> whole;

    @BeforeAll
    static void decodeWhole() {
        bytes = utf8(SMALL);
        whole = Feed.decode(new XmppStreamDecoder(), bytes, new int[0], Kind.HEAP);
    }

    @Test
    void decodesTheSmallStreamWhole() {
        assertThat(whole).hasSize(5);
        assertThat(((StreamEvent.Open) whole.get(0)).header().lang()).isEqualTo("fr");
        List<XmlElement> elements = elements(whole);
        assertThat(elements.get(0).attribute("to")).isEqualTo("r\u00E9@ex.com");
        assertThat(elements.get(0).firstChild().text()).isEqualTo("caf\u00E9 \u20AC \uD83D\uDE00 &\uD83D\uDE00");
        assertThat(elements.get(1).firstChild().attribute("ver")).isEqualTo("\u4E2D\u6587\uD800\uDF48");
        assertThat(elements.get(2).firstChild().attribute("urn:a", "b")).isEqualTo("1");
        assertThat(elements.get(2).firstChild().text()).isEqualTo("<a>\n");
        assertThat(whole.get(4)).isEqualTo(StreamEvent.Close.INSTANCE);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void decodesTheSameSplitAtEveryByte(Kind kind) {
        for (int cut = 1; cut < bytes.length; cut++) {
            assertThat(Feed.decode(new XmppStreamDecoder(), bytes, new int[] {cut}, kind)).as("cut at %d", cut)
                    .isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void decodesTheSameOneByteAtATime(Kind kind) {
        assertThat(Feed.decodeInChunks(new XmppStreamDecoder(), bytes, 1, kind)).isEqualTo(whole);
    }

    @Test
    void decodesTheSameSplitAtEveryPairOfBytes() {
        for (int a = 1; a < bytes.length; a++) {
            for (int b = a + 1; b < bytes.length; b += 3) {
                assertThat(Feed.decode(new XmppStreamDecoder(), bytes, new int[] {a, b}, Kind.HEAP))
                        .as("cuts at %d and %d", a, b).isEqualTo(whole);
            }
        }
    }

    @Test
    void decodesTheSameAfterAResetSplitAtEveryByte() {
        // The second document starts mid-read: everything up to the restart point, then a new stream.
        for (int cut = 1; cut < bytes.length; cut++) {
            XmppStreamDecoder decoder = new XmppStreamDecoder();
            List<StreamEvent> first = Feed.decode(decoder, bytes, new int[0], Kind.HEAP);
            decoder.reset();
            List<StreamEvent> second = Feed.decode(decoder, bytes, new int[] {cut}, Kind.POOLED_HEAP);
            assertThat(first).isEqualTo(whole);
            assertThat(second).as("cut at %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void keepsAFourByteCharacterInAnAttributeSplitBetweenReads() {
        // aalto-xml 1.3.3 loses the top bits of such a character; the decoder never splits one for it.
        byte[] doc = utf8(Feed.HEADER + "<presence id='\uD83D\uDE00'/>");
        int at = Feed.HEADER.length() + "<presence id='".length();
        for (int cut = at + 1; cut < at + 4; cut++) {
            List<StreamEvent> events = Feed.decode(new XmppStreamDecoder(), doc, new int[] {cut}, Kind.HEAP);
            assertThat(elements(events).get(0).attribute("id")).isEqualTo("\uD83D\uDE00");
        }
        List<StreamEvent> oneByOne = Feed.decodeInChunks(new XmppStreamDecoder(), doc, 1, Kind.HEAP);
        assertThat(elements(oneByOne).get(0).attribute("id")).isEqualTo("\uD83D\uDE00");
    }
}
