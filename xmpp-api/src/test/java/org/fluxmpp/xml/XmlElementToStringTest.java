package org.fluxmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import javax.xml.XMLConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code toString()}: well-formed XML, escaping, namespace declarations only where the namespace changes. */
class XmlElementToStringTest {

    private static final String CLIENT = "jabber:client";

    @Test
    void emptyElementIsSelfClosingWithItsNamespace() {
        assertThat(XmlElement.empty("urn:xmpp:ping", "ping").toString()).isEqualTo("<ping xmlns='urn:xmpp:ping'/>");
    }

    @Test
    void elementInNoNamespaceHasNoDeclaration() {
        assertThat(XmlElement.builder("", "plain").text("t").build().toString()).isEqualTo("<plain>t</plain>");
    }

    @Test
    void childInTheSameNamespaceHasNoDeclaration() {
        XmlElement message = XmlElement.builder(CLIENT, "message")
                .attribute("to", "juliet@example.com")
                .child(XmlElement.builder(CLIENT, "body").text("Hello").build())
                .build();

        assertThat(message.toString())
                .isEqualTo("<message xmlns='jabber:client' to='juliet@example.com'><body>Hello</body></message>");
    }

    @Test
    void declarationAppearsWhereTheNamespaceChanges() {
        XmlElement iq = XmlElement.builder(CLIENT, "iq")
                .attribute("type", "get")
                .child(XmlElement.builder("jabber:iq:roster", "query")
                        .child(XmlElement.builder("jabber:iq:roster", "item").attribute("jid", "a@b").build())
                        .child(XmlElement.builder(CLIENT, "x").build())
                        .build())
                .build();

        assertThat(iq.toString()).isEqualTo("<iq xmlns='jabber:client' type='get'>"
                + "<query xmlns='jabber:iq:roster'><item jid='a@b'/><x xmlns='jabber:client'/></query></iq>");
    }

    @Test
    void childInNoNamespaceUndeclaresTheDefaultNamespace() {
        XmlElement e = XmlElement.builder(CLIENT, "message").child(XmlElement.empty("", "legacy")).build();

        assertThat(e.toString()).isEqualTo("<message xmlns='jabber:client'><legacy xmlns=''/></message>");
        assertThat(XmlParsing.parse(e.toString())).isEqualTo(e);
    }

    @Test
    void attributeValuesEscapeAllFiveSpecialCharacters() {
        XmlElement e = XmlElement.builder(CLIENT, "x").attribute("v", "<a & 'b' \"c\">").build();

        assertThat(e.toString()).isEqualTo("<x xmlns='jabber:client' v='&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;'/>");
        assertThat(XmlParsing.parse(e.toString())).isEqualTo(e);
    }

    @Test
    void textEscapesMarkupCharacters() {
        XmlElement e = XmlElement.builder(CLIENT, "body").text("a < b && c > d ]]> 'q' \"qq\"").build();

        String xml = e.toString();

        assertThat(xml).startsWith("<body xmlns='jabber:client'>a &lt; b &amp;&amp; c &gt; d ]]&gt; ")
                .doesNotContain("]]>");
        assertThat(XmlParsing.parse(xml)).isEqualTo(e);
        assertThat(XmlParsing.parse(xml).text()).isEqualTo("a < b && c > d ]]> 'q' \"qq\"");
    }

    @Test
    void namespaceIsEscapedInItsDeclaration() {
        XmlElement e = XmlElement.empty("urn:x?a=1&b='2'", "x");

        assertThat(e.toString()).isEqualTo("<x xmlns='urn:x?a=1&amp;b=&apos;2&apos;'/>");
        assertThat(XmlParsing.parse(e.toString())).isEqualTo(e);
    }

    @Test
    void xmlLangUsesTheXmlPrefixWithoutADeclaration() {
        XmlElement e = XmlElement.builder(CLIENT, "body").lang("en").text("hi").build();

        assertThat(e.toString()).isEqualTo("<body xmlns='jabber:client' xml:lang='en'>hi</body>");
        assertThat(XmlParsing.parse(e.toString()).lang()).isEqualTo("en");
    }

    @Test
    void otherNamespacedAttributesGetADeclaredPrefix() {
        XmlElement e = XmlElement.builder(CLIENT, "x")
                .attribute("urn:a", "one", "1")
                .attribute("urn:b", "two", "2")
                .attribute(CLIENT, "three", "3")
                .attribute("plain", "p")
                .child(XmlElement.builder(CLIENT, "y").attribute("urn:c", "four", "4").build())
                .build();

        XmlElement parsed = XmlParsing.parse(e.toString());

        assertThat(parsed).isEqualTo(e);
        assertThat(parsed.attribute("urn:a", "one")).isEqualTo("1");
        assertThat(parsed.attribute(CLIENT, "three")).as("an unprefixed attribute has no namespace").isEqualTo("3");
        assertThat(parsed.attribute("three")).isNull();
    }

    @Test
    void mixedContentIsWrittenInOrder() {
        XmlElement p = XmlElement.builder("http://www.w3.org/1999/xhtml", "p")
                .text("a ").child(XmlElement.builder("http://www.w3.org/1999/xhtml", "b").text("bold").build())
                .text(" c").build();

        assertThat(p.toString()).isEqualTo("<p xmlns='http://www.w3.org/1999/xhtml'>a <b>bold</b> c</p>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "tab\there", "carriage\rreturn", "crlf\r\nend", "  spaces  "})
    void whitespaceInAttributeValuesSurvivesReparsing(String value) {
        XmlElement e = XmlElement.builder(CLIENT, "x").attribute("v", value).build();

        assertThat(XmlParsing.parse(e.toString()).attribute("v")).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "tab\there", "carriage\rreturn", "crlf\r\nend", "\r"})
    void whitespaceInTextSurvivesReparsing(String text) {
        XmlElement e = XmlElement.builder(CLIENT, "body").text(text).build();

        assertThat(XmlParsing.parse(e.toString()).text()).isEqualTo(text);
    }

    @Test
    void nonAsciiTextIsWrittenAsIs() {
        XmlElement e = XmlElement.builder(CLIENT, "body").text("Grüße 😀 日本").attribute("n", "ü").build();

        assertThat(e.toString()).isEqualTo("<body xmlns='jabber:client' n='ü'>Grüße 😀 日本</body>");
        assertThat(XmlParsing.parse(e.toString())).isEqualTo(e);
    }

    @Test
    void randomTreesAreWellFormedAndReadBackEqual() {
        Random random = new Random(20240607L);
        for (int i = 0; i < 500; i++) {
            XmlElement e = randomElement(random, 0);
            String xml = e.toString();

            assertThat(XmlParsing.parse(xml)).as(xml).isEqualTo(e);
        }
    }

    private static final String[] NAMESPACES = {"", CLIENT, "jabber:server", "urn:a", "urn:b&'<>\""};
    private static final String[] NAMES = {"a", "b", "body", "x-y", "_z.1"};
    private static final String[] TEXTS = {"t", " ", "<", ">", "&", "'", "\"", "\n", "\t", "\r", "\r\n", "]]>",
            "é", "😀", "&amp;", "a b"};

    private static XmlElement randomElement(Random r, int depth) {
        XmlElement.Builder b = XmlElement.builder(pick(r, NAMESPACES), pick(r, NAMES));
        int attrs = r.nextInt(4);
        for (int i = 0; i < attrs; i++) {
            String ns = r.nextInt(3) == 0 ? pick(r, NAMESPACES) : "";
            if (r.nextInt(8) == 0) {
                ns = XMLConstants.XML_NS_URI;
            }
            b.attribute(ns, pick(r, NAMES), randomText(r));
        }
        int nodes = depth > 3 ? 0 : r.nextInt(5);
        for (int i = 0; i < nodes; i++) {
            if (r.nextBoolean()) {
                b.text(randomText(r));
            } else {
                b.child(randomElement(r, depth + 1));
            }
        }
        return b.build();
    }

    private static String randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(pick(r, TEXTS));
        }
        return sb.toString();
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }
}
