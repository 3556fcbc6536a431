package org.fluxmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

/** Structural equality, hash codes, and unknown elements kept whole through rebuilding. */
class XmlElementEqualityTest {

    private static final String NS = "urn:example:test";

    private static XmlElement sample() {
        return XmlElement.builder(NS, "x")
                .attribute("a", "1")
                .attribute("urn:q", "b", "2")
                .lang("en")
                .text("t")
                .child(XmlElement.builder(NS, "c").attribute("k", "v").text("inner").build())
                .text("u")
                .build();
    }

    @Test
    void independentlyBuiltElementsWithTheSameStructureAreEqual() {
        XmlElement a = sample();
        XmlElement b = sample();

        assertThat(a).isNotSameAs(b).isEqualTo(b);
        assertThat(b).isEqualTo(a);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }

    @Test
    void attributeOrderIsIrrelevant() {
        XmlElement ab = XmlElement.builder(NS, "x").attribute("a", "1").attribute("b", "2")
                .attribute("urn:q", "a", "3").build();
        XmlElement ba = XmlElement.builder(NS, "x").attribute("urn:q", "a", "3").attribute("b", "2")
                .attribute("a", "1").build();

        assertThat(ab).isEqualTo(ba);
        assertThat(ba).isEqualTo(ab);
        assertThat(ab.hashCode()).isEqualTo(ba.hashCode());
    }

    @Test
    void attributeOrderIsIrrelevantInNestedElementsToo() {
        XmlElement ab = XmlElement.builder(NS, "x")
                .child(XmlElement.builder(NS, "c").attribute("a", "1").attribute("b", "2").build()).build();
        XmlElement ba = XmlElement.builder(NS, "x")
                .child(XmlElement.builder(NS, "c").attribute("b", "2").attribute("a", "1").build()).build();

        assertThat(ab).isEqualTo(ba);
        assertThat(ab.hashCode()).isEqualTo(ba.hashCode());
    }

    @Test
    void elementNamespaceMatters() {
        assertThat(XmlElement.empty(NS, "x")).isNotEqualTo(XmlElement.empty("urn:other", "x"));
        assertThat(XmlElement.empty(NS, "x")).isNotEqualTo(XmlElement.empty("", "x"));
    }

    @Test
    void localNameMatters() {
        assertThat(XmlElement.empty(NS, "x")).isNotEqualTo(XmlElement.empty(NS, "y"));
    }

    @Test
    void attributeNamespaceMatters() {
        XmlElement plain = XmlElement.builder(NS, "x").attribute("a", "1").build();
        XmlElement qualified = XmlElement.builder(NS, "x").attribute("urn:q", "a", "1").build();
        XmlElement otherQualified = XmlElement.builder(NS, "x").attribute("urn:r", "a", "1").build();

        assertThat(plain).isNotEqualTo(qualified);
        assertThat(qualified).isNotEqualTo(plain);
        assertThat(qualified).isNotEqualTo(otherQualified);
    }

    @Test
    void xmlLangIsNotTheUnqualifiedLangAttribute() {
        assertThat(XmlElement.builder(NS, "x").lang("en").build())
                .isNotEqualTo(XmlElement.builder(NS, "x").attribute("lang", "en").build());
    }

    @Test
    void attributeValuesAndPresenceMatter() {
        XmlElement one = XmlElement.builder(NS, "x").attribute("a", "1").build();

        assertThat(one).isNotEqualTo(XmlElement.builder(NS, "x").attribute("a", "2").build());
        assertThat(one).isNotEqualTo(XmlElement.empty(NS, "x"));
        assertThat(XmlElement.empty(NS, "x")).isNotEqualTo(one);
        assertThat(one).isNotEqualTo(XmlElement.builder(NS, "x").attribute("a", "1").attribute("b", "1").build());
        assertThat(one).isNotEqualTo(XmlElement.builder(NS, "x").attribute("b", "1").build());
    }

    @Test
    void textMatters() {
        XmlElement withText = XmlElement.builder(NS, "x").text("hi").build();

        assertThat(withText).isNotEqualTo(XmlElement.empty(NS, "x"));
        assertThat(XmlElement.empty(NS, "x")).isNotEqualTo(withText);
        assertThat(withText).isNotEqualTo(XmlElement.builder(NS, "x").text("ho").build());
        assertThat(withText).isNotEqualTo(XmlElement.builder(NS, "x").text("hi ").build());
    }

    @Test
    void textRunsBuiltInPiecesEqualOneRun() {
        XmlElement pieces = XmlElement.builder(NS, "x").text("h").text("").text("i").build();

        assertThat(pieces).isEqualTo(XmlElement.builder(NS, "x").text("hi").build());
        assertThat(pieces.hashCode()).isEqualTo(XmlElement.builder(NS, "x").text("hi").build().hashCode());
    }

    @Test
    void childOrderAndPositionOfTextMatter() {
        XmlElement a = XmlElement.empty(NS, "a");
        XmlElement b = XmlElement.empty(NS, "b");

        assertThat(XmlElement.builder(NS, "x").child(a).child(b).build())
                .isNotEqualTo(XmlElement.builder(NS, "x").child(b).child(a).build());
        assertThat(XmlElement.builder(NS, "x").text("t").child(a).build())
                .isNotEqualTo(XmlElement.builder(NS, "x").child(a).text("t").build());
    }

    @Test
    void childrenAreComparedDeeply() {
        XmlElement one = XmlElement.builder(NS, "x")
                .child(XmlElement.builder(NS, "c").child(XmlElement.builder(NS, "d").text("1").build()).build())
                .build();
        XmlElement two = XmlElement.builder(NS, "x")
                .child(XmlElement.builder(NS, "c").child(XmlElement.builder(NS, "d").text("2").build()).build())
                .build();

        assertThat(one).isNotEqualTo(two);
    }

    @Test
    void equalsHandlesNullAndOtherTypes() {
        XmlElement e = sample();

        assertThat(e).isEqualTo(e);
        assertThat(e.equals(null)).isFalse();
        assertThat(e.equals(new XmlText("x"))).isFalse();
        assertThat(e.equals(e.toString())).isFalse();
    }

    @Test
    void hashCodeIsStable() {
        XmlElement e = sample();

        assertThat(e.hashCode()).isEqualTo(e.hashCode());
    }

    @Test
    void equalElementsWorkAsSetAndMapKeys() {
        java.util.Set<XmlElement> set = new java.util.HashSet<>();
        set.add(sample());

        assertThat(set).contains(sample());
        assertThat(set.add(sample())).isFalse();
    }

    @Test
    void unknownExtensionIsKeptWholeThroughToBuilderAndBuild() {
        XmlElement extension = XmlElement.builder("urn:example:unknown:0", "thing")
                .attribute("version", "2")
                .attribute("urn:example:attr", "flag", "on")
                .lang("fr")
                .text("before ")
                .child(XmlElement.builder("urn:example:unknown:0", "part").attribute("n", "1").text("un").build())
                .child(XmlElement.builder("http://www.w3.org/1999/xhtml", "p")
                        .text("mixed ").child(XmlElement.builder("http://www.w3.org/1999/xhtml", "b").text("bold")
                                .build()).text(" content").build())
                .text(" after")
                .build();
        String before = extension.toString();
        XmlElement message = XmlElement.builder("jabber:client", "message")
                .attribute("to", "juliet@example.com")
                .child(XmlElement.builder("jabber:client", "body").text("hi").build())
                .child(extension)
                .build();

        XmlElement rebuilt = message.toBuilder().attribute("from", "romeo@example.net/orchard").build();

        XmlElement kept = rebuilt.child(new QName("urn:example:unknown:0", "thing"));
        assertThat(kept).isEqualTo(extension);
        assertThat(kept.toString()).isEqualTo(before);
        assertThat(rebuilt.children()).hasSize(2);
        assertThat(rebuilt.toBuilder().attribute("from", null).build()).isEqualTo(message);
        assertThat(kept.attribute("urn:example:attr", "flag")).isEqualTo("on");
        assertThat(kept.attribute(XMLConstants.XML_NS_URI, "lang")).isEqualTo("fr");
    }
}
