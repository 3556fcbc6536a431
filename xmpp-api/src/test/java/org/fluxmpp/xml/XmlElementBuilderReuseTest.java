package org.fluxmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

/** The builder hands its arrays to the element it builds; changing it afterwards must never change that element. */
class XmlElementBuilderReuseTest {

    @Test
    void changingABuilderAfterBuildLeavesTheBuiltElementAlone() {
        XmlElement.Builder b = XmlElement.builder("urn:a", "e").attribute("x", "1").attribute("y", "2")
                .child(XmlElement.empty("urn:a", "c")).text("t");
        XmlElement first = b.build();
        b.attribute("x", "changed").attribute("y", null).attribute("z", "3").text("more")
                .child(XmlElement.empty("urn:a", "d")).removeChildren(new QName("urn:a", "c"));
        XmlElement second = b.build();
        b.clearContent();

        assertThat(first.attribute("x")).isEqualTo("1");
        assertThat(first.attribute("y")).isEqualTo("2");
        assertThat(first.attribute("z")).isNull();
        assertThat(first.nodeCount()).isEqualTo(2);
        assertThat(first.text()).isEqualTo("t");
        assertThat(second.attribute("x")).isEqualTo("changed");
        assertThat(second.attributeCount()).isEqualTo(2);
        assertThat(second.text()).isEqualTo("tmore");
        assertThat(second.childCount()).isEqualTo(1);
    }

    @Test
    void toBuilderSharesUntilChanged() {
        XmlElement original = XmlElement.builder("urn:a", "e").attribute("k", "v").text("t").build();
        XmlElement copy = original.toBuilder().build();
        XmlElement changed = original.toBuilder().attribute("k", "w").text("u").build();

        assertThat(copy).isEqualTo(original);
        assertThat(original.attribute("k")).isEqualTo("v");
        assertThat(original.text()).isEqualTo("t");
        assertThat(changed.attribute("k")).isEqualTo("w");
        assertThat(changed.text()).isEqualTo("tu");
    }

    @Test
    void nodesByIndexInDocumentOrder() {
        XmlElement e = XmlElement.builder("urn:a", "e").text("a").child(XmlElement.empty("urn:a", "b")).text("c")
                .build();
        assertThat(e.nodeCount()).isEqualTo(3);
        assertThat(e.node(0)).isEqualTo(new XmlText("a"));
        assertThat(e.node(1)).isEqualTo(XmlElement.empty("urn:a", "b"));
        assertThat(e.node(2)).isEqualTo(new XmlText("c"));
        assertThatThrownBy(() -> e.node(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(e.nodes()).containsExactly(e.node(0), e.node(1), e.node(2));
    }
}
