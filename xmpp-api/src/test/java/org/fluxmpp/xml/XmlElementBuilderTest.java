package org.fluxmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

/** Building elements: names, attributes (set, replace, remove, namespaced, xml:lang), text merging, immutability. */
class XmlElementBuilderTest {

    private static final String NS = "urn:example:test";

    @Test
    void builderSetsNamespaceAndLocalName() {
        XmlElement e = XmlElement.builder(NS, "item").build();

        assertThat(e.namespace()).isEqualTo(NS);
        assertThat(e.localName()).isEqualTo("item");
        assertThat(e.name()).isEqualTo(new QName(NS, "item"));
        assertThat(e.is(NS, "item")).isTrue();
        assertThat(e.is(new QName(NS, "item"))).isTrue();
        assertThat(e.is("urn:other", "item")).isFalse();
        assertThat(e.is(NS, "other")).isFalse();
        assertThat(e.attributeCount()).isZero();
        assertThat(e.nodes()).isEmpty();
    }

    @Test
    void builderFromQNameIgnoresThePrefix() {
        XmlElement e = XmlElement.builder(new QName(NS, "item", "p")).build();

        assertThat(e).isEqualTo(XmlElement.builder(NS, "item").build());
        assertThat(e.name().getPrefix()).isEmpty();
        assertThat(e.toString()).isEqualTo("<item xmlns='urn:example:test'/>");
    }

    @Test
    void emptyBuildsAnElementWithoutAttributesOrContent() {
        XmlElement e = XmlElement.empty("urn:ietf:params:xml:ns:xmpp-tls", "starttls");

        assertThat(e.namespace()).isEqualTo("urn:ietf:params:xml:ns:xmpp-tls");
        assertThat(e.localName()).isEqualTo("starttls");
        assertThat(e.attributeCount()).isZero();
        assertThat(e.nodes()).isEmpty();
    }

    @Test
    void elementInNoNamespaceHasTheEmptyNamespace() {
        XmlElement e = XmlElement.builder(new QName("plain")).build();

        assertThat(e.namespace()).isEmpty();
        assertThat(e.is("", "plain")).isTrue();
    }

    @Test
    void emptyLocalNameIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> XmlElement.builder(NS, ""));
        assertThatIllegalArgumentException().isThrownBy(() -> XmlElement.builder(new QName(NS, "")));
        assertThatIllegalArgumentException().isThrownBy(() -> XmlElement.empty(NS, ""));
    }

    @Test
    void nullNamesAreRejected() {
        assertThatNullPointerException().isThrownBy(() -> XmlElement.builder(null, "x"));
        assertThatNullPointerException().isThrownBy(() -> XmlElement.builder(NS, null));
    }

    @Test
    void emptyAttributeLocalNameIsRejected() {
        XmlElement.Builder b = XmlElement.builder(NS, "x");

        assertThatIllegalArgumentException().isThrownBy(() -> b.attribute("", "v"));
        assertThatIllegalArgumentException().isThrownBy(() -> b.attribute(NS, "", "v"));
        assertThatIllegalArgumentException().isThrownBy(() -> b.attribute(new QName(NS, ""), "v"));
    }

    @Test
    void attributesKeepDocumentOrder() {
        XmlElement e = XmlElement.builder(NS, "x").attribute("b", "2").attribute("a", "1").attribute("c", "3").build();

        assertThat(e.attributeCount()).isEqualTo(3);
        assertThat(e.attributeLocalName(0)).isEqualTo("b");
        assertThat(e.attributeLocalName(1)).isEqualTo("a");
        assertThat(e.attributeLocalName(2)).isEqualTo("c");
        assertThat(e.attributeValue(1)).isEqualTo("1");
        assertThat(e.attributeNamespace(1)).isEmpty();
        assertThat(e.attributeName(2)).isEqualTo(new QName("c"));
    }

    @Test
    void settingAnAttributeAgainReplacesItsValueInPlace() {
        XmlElement e = XmlElement.builder(NS, "x")
                .attribute("a", "1").attribute("b", "2").attribute("a", "one").build();

        assertThat(e.attributeCount()).isEqualTo(2);
        assertThat(e.attribute("a")).isEqualTo("one");
        assertThat(e.attributeLocalName(0)).isEqualTo("a");
        assertThat(e.attributeValue(0)).isEqualTo("one");
    }

    @Test
    void nullValueRemovesTheAttribute() {
        XmlElement e = XmlElement.builder(NS, "x")
                .attribute("a", "1").attribute("b", "2").attribute("c", "3").attribute("b", null).build();

        assertThat(e.attribute("b")).isNull();
        assertThat(e.attributeCount()).isEqualTo(2);
        assertThat(e.attributeLocalName(0)).isEqualTo("a");
        assertThat(e.attributeLocalName(1)).isEqualTo("c");
        assertThat(e.attributeValue(1)).isEqualTo("3");
    }

    @Test
    void nullValueForAnAbsentAttributeAddsNothing() {
        XmlElement e = XmlElement.builder(NS, "x").attribute("a", null).build();

        assertThat(e.attributeCount()).isZero();
        assertThat(e).isEqualTo(XmlElement.empty(NS, "x"));
    }

    @Test
    void emptyAttributeValueIsKept() {
        XmlElement e = XmlElement.builder(NS, "x").attribute("a", "").build();

        assertThat(e.attribute("a")).isEmpty();
        assertThat(e).isNotEqualTo(XmlElement.empty(NS, "x"));
    }

    @Test
    void namespacedAttributeIsDistinctFromTheUnqualifiedOneOfTheSameLocalName() {
        XmlElement e = XmlElement.builder(NS, "x")
                .attribute("id", "plain")
                .attribute("urn:a", "id", "in-a")
                .attribute(new QName("urn:b", "id"), "in-b")
                .build();

        assertThat(e.attributeCount()).isEqualTo(3);
        assertThat(e.attribute("id")).isEqualTo("plain");
        assertThat(e.attribute("", "id")).isEqualTo("plain");
        assertThat(e.attribute("urn:a", "id")).isEqualTo("in-a");
        assertThat(e.attribute(new QName("urn:a", "id"))).isEqualTo("in-a");
        assertThat(e.attribute(new QName("urn:b", "id", "ignoredPrefix"))).isEqualTo("in-b");
        assertThat(e.attribute("urn:c", "id")).isNull();
        assertThat(e.attributeNamespace(1)).isEqualTo("urn:a");
        assertThat(e.attributeName(2)).isEqualTo(new QName("urn:b", "id"));
    }

    @Test
    void namespacedAttributeIsReplacedAndRemovedByItsQualifiedName() {
        XmlElement e = XmlElement.builder(NS, "x")
                .attribute("id", "plain")
                .attribute("urn:a", "id", "1")
                .attribute("urn:a", "id", "2")
                .build();

        assertThat(e.attribute("urn:a", "id")).isEqualTo("2");
        assertThat(e.attributeCount()).isEqualTo(2);

        XmlElement removed = e.toBuilder().attribute(new QName("urn:a", "id"), null).build();
        assertThat(removed.attribute("urn:a", "id")).isNull();
        assertThat(removed.attribute("id")).isEqualTo("plain");
    }

    @Test
    void langSetsReplacesAndRemovesXmlLang() {
        XmlElement en = XmlElement.builder(NS, "x").lang("en").build();

        assertThat(en.lang()).isEqualTo("en");
        assertThat(en.attribute(XMLConstants.XML_NS_URI, "lang")).isEqualTo("en");
        assertThat(en.attribute("lang")).as("xml:lang is not the unqualified 'lang'").isNull();
        assertThat(en.attributeNamespace(0)).isEqualTo(XMLConstants.XML_NS_URI);

        XmlElement de = en.toBuilder().lang("de").build();
        assertThat(de.lang()).isEqualTo("de");
        assertThat(de.attributeCount()).isEqualTo(1);

        XmlElement none = en.toBuilder().lang(null).build();
        assertThat(none.lang()).isNull();
        assertThat(none.attributeCount()).isZero();
    }

    @Test
    void unqualifiedLangAttributeIsNotXmlLang() {
        XmlElement e = XmlElement.builder(NS, "x").attribute("lang", "en").build();

        assertThat(e.lang()).isNull();
    }

    @Test
    void adjacentTextIsMerged() {
        XmlElement e = XmlElement.builder(NS, "x").text("Hello").text(", ").node(new XmlText("world")).build();

        assertThat(e.nodes()).containsExactly(new XmlText("Hello, world"));
        assertThat(e.text()).isEqualTo("Hello, world");
    }

    @Test
    void textIsNotMergedAcrossAChild() {
        XmlElement child = XmlElement.empty(NS, "br");
        XmlElement e = XmlElement.builder(NS, "x").text("a").child(child).text("b").build();

        assertThat(e.nodes()).containsExactly(new XmlText("a"), child, new XmlText("b"));
    }

    @Test
    void textAppendedAfterToBuilderMergesWithTheTrailingRun() {
        XmlElement e = XmlElement.builder(NS, "x").text("ab").build();

        XmlElement more = e.toBuilder().text("cd").build();

        assertThat(more.nodes()).containsExactly(new XmlText("abcd"));
        assertThat(e.nodes()).containsExactly(new XmlText("ab"));
    }

    @Test
    void emptyTextIsDropped() {
        XmlElement e = XmlElement.builder(NS, "x").text("").node(new XmlText("")).build();

        assertThat(e.nodes()).isEmpty();
        assertThat(e).isEqualTo(XmlElement.empty(NS, "x"));
        assertThat(e.toString()).isEqualTo("<x xmlns='urn:example:test'/>");
    }

    @Test
    void emptyTextBetweenRunsDoesNotSplitThem() {
        XmlElement e = XmlElement.builder(NS, "x").text("a").text("").text("b").build();

        assertThat(e.nodes()).containsExactly(new XmlText("ab"));
    }

    @Test
    void removingChildrenMergesTheTextAroundThem() {
        XmlElement e = XmlElement.builder(NS, "x")
                .text("a").child(XmlElement.empty(NS, "br")).text("b").child(XmlElement.empty(NS, "keep"))
                .build();

        XmlElement removed = e.toBuilder().removeChildren(new QName(NS, "br")).build();

        assertThat(removed.nodes()).containsExactly(new XmlText("ab"), XmlElement.empty(NS, "keep"));
        assertThat(removed).isEqualTo(
                XmlElement.builder(NS, "x").text("ab").child(XmlElement.empty(NS, "keep")).build());
        assertThat(removed.hashCode()).isEqualTo(
                XmlElement.builder(NS, "x").text("ab").child(XmlElement.empty(NS, "keep")).build().hashCode());
    }

    @Test
    void removeChildrenRemovesOnlyThatName() {
        XmlElement e = XmlElement.builder(NS, "x")
                .child(XmlElement.empty(NS, "a"))
                .child(XmlElement.empty("urn:other", "a"))
                .child(XmlElement.empty(NS, "b"))
                .child(XmlElement.empty(NS, "a"))
                .build();

        XmlElement removed = e.toBuilder().removeChildren(new QName(NS, "a")).build();

        assertThat(removed.children())
                .containsExactly(XmlElement.empty("urn:other", "a"), XmlElement.empty(NS, "b"));
    }

    @Test
    void clearContentKeepsNameAndAttributes() {
        XmlElement e = XmlElement.builder(NS, "x").attribute("a", "1").text("t").child(XmlElement.empty(NS, "c"))
                .build();

        XmlElement cleared = e.toBuilder().clearContent().build();

        assertThat(cleared).isEqualTo(XmlElement.builder(NS, "x").attribute("a", "1").build());
    }

    @Test
    void childrenAppendsInOrder() {
        XmlElement a = XmlElement.empty(NS, "a");
        XmlElement b = XmlElement.empty(NS, "b");

        XmlElement e = XmlElement.builder(NS, "x").children(java.util.List.of(a, b)).build();

        assertThat(e.children()).containsExactly(a, b);
    }

    @Test
    void nullContentIsRejected() {
        XmlElement.Builder b = XmlElement.builder(NS, "x");

        assertThatNullPointerException().isThrownBy(() -> b.child(null));
        assertThatNullPointerException().isThrownBy(() -> b.text(null));
        assertThatNullPointerException().isThrownBy(() -> new XmlText(null));
    }

    @Test
    void toBuilderCopiesSoTheOriginalIsUnchanged() {
        XmlElement original = XmlElement.builder(NS, "x").attribute("a", "1").text("t")
                .child(XmlElement.empty(NS, "c")).build();
        String before = original.toString();

        XmlElement changed = original.toBuilder()
                .attribute("a", "2").attribute("b", "new").lang("en")
                .text("more").child(XmlElement.empty(NS, "d"))
                .build();

        assertThat(original.toString()).isEqualTo(before);
        assertThat(original.attribute("a")).isEqualTo("1");
        assertThat(original.attribute("b")).isNull();
        assertThat(original.childCount()).isEqualTo(1);
        assertThat(changed.attribute("a")).isEqualTo("2");
        assertThat(changed.childCount()).isEqualTo(2);
    }

    @Test
    void toBuilderWithoutChangesBuildsAnEqualElement() {
        XmlElement original = XmlElement.builder(NS, "x").attribute("a", "1").lang("en").text("t")
                .child(XmlElement.builder("urn:other", "c").attribute("urn:a", "q", "v").build()).text("u").build();

        assertThat(original.toBuilder().build()).isEqualTo(original).isNotSameAs(original);
    }

    @Test
    void builderIsReusableAndBuiltElementsDoNotChangeAfterward() {
        XmlElement.Builder b = XmlElement.builder(NS, "x").attribute("a", "1").text("t");
        XmlElement first = b.build();

        b.attribute("a", "2").attribute("b", "3").text("u").child(XmlElement.empty(NS, "c"));
        XmlElement second = b.build();

        assertThat(first.attribute("a")).isEqualTo("1");
        assertThat(first.attribute("b")).isNull();
        assertThat(first.nodes()).containsExactly(new XmlText("t"));
        assertThat(second.attribute("a")).isEqualTo("2");
        assertThat(second.nodes()).containsExactly(new XmlText("tu"), XmlElement.empty(NS, "c"));
    }

    @Test
    void returnedListsAreUnmodifiable() {
        XmlElement c = XmlElement.empty(NS, "c");
        XmlElement e = XmlElement.builder(NS, "x").text("t").child(c).build();

        assertThatThrownBy(() -> e.nodes().add(c)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.nodes().set(0, c)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.nodes().remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.children().add(c)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.children().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.children(new QName(NS, "c")).remove(0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(e.nodes()).containsExactly(new XmlText("t"), c);
    }
}
