package org.fluxmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

/** Navigating content: children by name, first child, counts, text of mixed content, child text. */
class XmlElementContentTest {

    private static final String CLIENT = "jabber:client";
    private static final String OTHER = "urn:example:other";

    private static final XmlElement BODY_1 = XmlElement.builder(CLIENT, "body").text("one").build();
    private static final XmlElement BODY_OTHER = XmlElement.builder(OTHER, "body").text("other").build();
    private static final XmlElement BODY_2 = XmlElement.builder(CLIENT, "body").lang("de").text("zwei").build();
    private static final XmlElement EMPTY_SUBJECT = XmlElement.empty(CLIENT, "subject");

    /** {@code <message>lead<body xmlns='urn:..other'>other</body><body>one</body>mid<body xml:lang='de'>zwei</body><subject/>tail</message>}. */
    private static final XmlElement MESSAGE = XmlElement.builder(CLIENT, "message")
            .text("lead")
            .child(BODY_OTHER)
            .child(BODY_1)
            .text("mid")
            .child(BODY_2)
            .child(EMPTY_SUBJECT)
            .text("tail")
            .build();

    @Test
    void childByQNameReturnsTheFirstMatchInThatNamespace() {
        assertThat(MESSAGE.child(new QName(CLIENT, "body"))).isSameAs(BODY_1);
        assertThat(MESSAGE.child(new QName(OTHER, "body"))).isSameAs(BODY_OTHER);
    }

    @Test
    void childByNamespaceAndLocalNameReturnsTheFirstMatch() {
        assertThat(MESSAGE.child(CLIENT, "body")).isSameAs(BODY_1);
        assertThat(MESSAGE.child(OTHER, "body")).isSameAs(BODY_OTHER);
        assertThat(MESSAGE.child(CLIENT, "subject")).isSameAs(EMPTY_SUBJECT);
    }

    @Test
    void childIsNullWhenNoneMatches() {
        assertThat(MESSAGE.child(CLIENT, "thread")).isNull();
        assertThat(MESSAGE.child("", "body")).as("namespace matters").isNull();
        assertThat(MESSAGE.child(new QName("urn:nowhere", "body"))).isNull();
    }

    @Test
    void childrenByQNameReturnsAllMatchesInOrder() {
        assertThat(MESSAGE.children(new QName(CLIENT, "body"))).containsExactly(BODY_1, BODY_2);
        assertThat(MESSAGE.children(new QName(OTHER, "body"))).containsExactly(BODY_OTHER);
        assertThat(MESSAGE.children(new QName(CLIENT, "thread"))).isEmpty();
    }

    @Test
    void childrenSkipsText() {
        assertThat(MESSAGE.children()).containsExactly(BODY_OTHER, BODY_1, BODY_2, EMPTY_SUBJECT);
    }

    @Test
    void nodesKeepTextAndChildrenInDocumentOrder() {
        assertThat(MESSAGE.nodes()).containsExactly(new XmlText("lead"), BODY_OTHER, BODY_1, new XmlText("mid"),
                BODY_2, EMPTY_SUBJECT, new XmlText("tail"));
    }

    @Test
    void firstChildSkipsLeadingText() {
        assertThat(MESSAGE.firstChild()).isSameAs(BODY_OTHER);
    }

    @Test
    void firstChildIsNullWithoutChildElements() {
        assertThat(XmlElement.builder(CLIENT, "body").text("only text").build().firstChild()).isNull();
        assertThat(XmlElement.empty(CLIENT, "body").firstChild()).isNull();
    }

    @Test
    void childCountCountsElementsOnly() {
        assertThat(MESSAGE.childCount()).isEqualTo(4);
        assertThat(BODY_1.childCount()).isZero();
        assertThat(XmlElement.empty(CLIENT, "x").childCount()).isZero();
    }

    @Test
    void textConcatenatesTheDirectTextRunsOfMixedContent() {
        assertThat(MESSAGE.text()).as("children's text is not included").isEqualTo("leadmidtail");
    }

    @Test
    void textOfASingleRunIsThatRun() {
        assertThat(BODY_1.text()).isEqualTo("one");
    }

    @Test
    void textOfAnElementWithoutTextIsEmpty() {
        assertThat(EMPTY_SUBJECT.text()).isEmpty();
        assertThat(XmlElement.builder(CLIENT, "x").child(BODY_1).build().text()).isEmpty();
    }

    @Test
    void textKeepsWhitespace() {
        XmlElement e = XmlElement.builder(CLIENT, "body").text("  two\n lines\t").build();

        assertThat(e.text()).isEqualTo("  two\n lines\t");
    }

    @Test
    void childTextIsTheTextOfTheFirstMatchingChild() {
        assertThat(MESSAGE.childText(new QName(CLIENT, "body"))).isEqualTo("one");
        assertThat(MESSAGE.childText(new QName(OTHER, "body"))).isEqualTo("other");
    }

    @Test
    void childTextIsEmptyForAnEmptyChildAndNullForAMissingOne() {
        assertThat(MESSAGE.childText(new QName(CLIENT, "subject"))).isEmpty();
        assertThat(MESSAGE.childText(new QName(CLIENT, "thread"))).isNull();
    }
}
