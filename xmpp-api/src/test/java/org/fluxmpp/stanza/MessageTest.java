package org.fluxmpp.stanza;

import static org.assertj.core.api.Assertions.assertThat;

import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Message}: type (RFC 6121 5.2.2), body, subject, thread, builder. */
class MessageTest {

    private static Message parse(XmlElement.Builder b) {
        return (Message) Stanza.of(b.build());
    }

    private static XmlElement.Builder message(String namespace) {
        return XmlElement.builder(namespace, "message");
    }

    @Test
    void typeIsNormalWhenAbsent() {
        assertThat(parse(message("jabber:client")).type()).isEqualTo(Message.Type.NORMAL);
    }

    @ParameterizedTest
    @EnumSource(Message.Type.class)
    void eachTypeIsRead(Message.Type type) {
        Message m = parse(message("jabber:client").attribute("type", type.value()));

        assertThat(m.type()).isEqualTo(type);
        assertThat(m.isError()).isEqualTo(type == Message.Type.ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "Chat", "CHAT", "", " chat"})
    void unknownTypeReadsAsNormal(String raw) {
        assertThat(parse(message("jabber:client").attribute("type", raw)).type()).isEqualTo(Message.Type.NORMAL);
    }

    @Test
    void typeValuesAreTheRfcNames() {
        assertThat(Message.Type.values()).extracting(Message.Type::value)
                .containsExactly("chat", "error", "groupchat", "headline", "normal");
        assertThat(Message.Type.fromValue("groupchat")).isEqualTo(Message.Type.GROUPCHAT);
        assertThat(Message.Type.fromValue("nope")).isNull();
        assertThat(Message.Type.fromValue(null)).isNull();
    }

    @Test
    void bodySubjectAndThreadAreRead() {
        Message m = parse(message("jabber:client")
                .child(XmlElement.builder("jabber:client", "subject").text("I implore you!").build())
                .child(XmlElement.builder("jabber:client", "body").text("Wherefore art thou, Romeo?").build())
                .child(XmlElement.builder("jabber:client", "thread").text("e0ffe42b28561960c6b12b944a092794b9683a38")
                        .build()));

        assertThat(m.body()).isEqualTo("Wherefore art thou, Romeo?");
        assertThat(m.subject()).isEqualTo("I implore you!");
        assertThat(m.thread()).isEqualTo("e0ffe42b28561960c6b12b944a092794b9683a38");
    }

    @Test
    void absentChildrenAreNull() {
        Message m = parse(message("jabber:client"));

        assertThat(m.body()).isNull();
        assertThat(m.subject()).isNull();
        assertThat(m.thread()).isNull();
    }

    @Test
    void emptyBodyIsEmptyNotNull() {
        assertThat(parse(message("jabber:client").child(XmlElement.empty("jabber:client", "body"))).body()).isEmpty();
    }

    @Test
    void childrenAreReadInTheStanzasOwnNamespace() {
        Message server = parse(message("jabber:server")
                .child(XmlElement.builder("jabber:server", "body").text("s2s").build()));
        Message mismatched = parse(message("jabber:client")
                .child(XmlElement.builder("jabber:server", "body").text("wrong").build())
                .child(XmlElement.builder("urn:example", "subject").text("wrong").build()));

        assertThat(server.body()).isEqualTo("s2s");
        assertThat(mismatched.body()).isNull();
        assertThat(mismatched.subject()).isNull();
    }

    @Test
    void firstBodyIsRead() {
        Message m = parse(message("jabber:client")
                .child(XmlElement.builder("jabber:client", "body").text("first").build())
                .child(XmlElement.builder("jabber:client", "body").lang("de").text("zweite").build()));

        assertThat(m.body()).isEqualTo("first");
    }

    @Test
    void builderWritesAMessageInJabberClient() {
        Message m = Message.builder().to("juliet@example.com").id("m1").type(Message.Type.CHAT)
                .subject("s").body("b").thread("t").build();

        assertThat(m.element().toString()).isEqualTo("<message xmlns='jabber:client' to='juliet@example.com' id='m1'"
                + " type='chat'><subject>s</subject><body>b</body><thread>t</thread></message>");
        assertThat(m.type()).isEqualTo(Message.Type.CHAT);
        assertThat(m.body()).isEqualTo("b");
        assertThat(m.subject()).isEqualTo("s");
        assertThat(m.thread()).isEqualTo("t");
    }

    @Test
    void builderWritesNoTypeAttributeForNormal() {
        Message m = Message.builder().type(Message.Type.NORMAL).build();

        assertThat(m.typeAttribute()).isNull();
        assertThat(m.element().attributeCount()).isZero();
        assertThat(m.type()).isEqualTo(Message.Type.NORMAL);
    }

    @Test
    void builderNormalAfterAnotherTypeRemovesTheAttribute() {
        Message m = Message.builder().type(Message.Type.HEADLINE).type(Message.Type.NORMAL).build();

        assertThat(m.typeAttribute()).isNull();
    }

    @Test
    void builderKeepsExtensionChildren() {
        XmlElement receipt = XmlElement.empty("urn:xmpp:receipts", "request");

        Message m = Message.builder().body("b").child(receipt).build();

        assertThat(m.element().child("urn:xmpp:receipts", "request")).isEqualTo(receipt);
    }
}
