package org.fluxmpp.stanza;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Stanza#of}, {@link Stanza#isStanza}, the common attributes, and the {@code with...} copies. */
class StanzaTest {

    private static final String CLIENT = Stanza.CLIENT_NAMESPACE;
    private static final String SERVER = Stanza.SERVER_NAMESPACE;
    private static final XmlElement PING = XmlElement.empty("urn:xmpp:ping", "ping");
    private static final XmlElement EXTENSION = XmlElement.builder("urn:example:ext", "ext")
            .attribute("k", "v").text("kept ").child(XmlElement.empty("urn:example:ext", "inner")).build();

    private static XmlElement element(String namespace, String name) {
        XmlElement.Builder b = XmlElement.builder(namespace, name);
        if (name.equals("iq")) {
            b.attribute("type", "get").attribute("id", "i1").child(PING);
        }
        return b.build();
    }

    @Test
    void namespaceConstants() {
        assertThat(Stanza.CLIENT_NAMESPACE).isEqualTo("jabber:client");
        assertThat(Stanza.SERVER_NAMESPACE).isEqualTo("jabber:server");
    }

    @ParameterizedTest
    @CsvSource({
        "jabber:client, message, org.fluxmpp.stanza.Message",
        "jabber:client, presence, org.fluxmpp.stanza.Presence",
        "jabber:client, iq, org.fluxmpp.stanza.Iq",
        "jabber:server, message, org.fluxmpp.stanza.Message",
        "jabber:server, presence, org.fluxmpp.stanza.Presence",
        "jabber:server, iq, org.fluxmpp.stanza.Iq",
    })
    void ofWrapsEachStanzaInBothContentNamespaces(String namespace, String name, Class<?> type) {
        XmlElement e = element(namespace, name);

        Stanza s = Stanza.of(e);

        assertThat(s).isExactlyInstanceOf(type);
        assertThat(s.element()).isSameAs(e);
        assertThat(Stanza.isStanza(e)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "jabber:client, error",
        "jabber:client, body",
        "jabber:client, Message",
        "jabber:server, features",
        "http://etherx.jabber.org/streams, error",
        "http://etherx.jabber.org/streams, features",
    })
    void ofRejectsOtherNames(String namespace, String name) {
        XmlElement e = element(namespace, name);

        assertThatIllegalArgumentException().isThrownBy(() -> Stanza.of(e));
        assertThat(Stanza.isStanza(e)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(value = {
        "'', message", "'', presence", "'', iq",
        "jabber:component:accept, message",
        "urn:example, presence",
        "http://etherx.jabber.org/streams, iq",
        "JABBER:CLIENT, message",
    })
    void ofRejectsStanzaNamesInOtherNamespaces(String namespace, String name) {
        XmlElement e = element(namespace, name);

        assertThatIllegalArgumentException().isThrownBy(() -> Stanza.of(e));
        assertThat(Stanza.isStanza(e)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "urn:example", "http://etherx.jabber.org/streams"})
    void iqOfRejectsAnIqOutsideTheContentNamespaces(String namespace) {
        XmlElement e = element(namespace, "iq");

        assertThatIllegalArgumentException().isThrownBy(() -> Iq.of(e));
    }

    @Test
    void iqOfRejectsAnotherElement() {
        assertThatIllegalArgumentException().isThrownBy(() -> Iq.of(element(CLIENT, "message")));
    }

    @Test
    void addressesAreParsedAndNormalised() {
        Stanza s = Stanza.of(XmlElement.builder(CLIENT, "message")
                .attribute("to", "Juliet@Example.COM")
                .attribute("from", "Romeo@Example.NET/Orchard")
                .build());

        assertThat(s.to()).isEqualTo(Jid.parse("juliet@example.com")).isInstanceOf(BareJid.class);
        assertThat(s.to()).hasToString("juliet@example.com");
        assertThat(s.from()).isInstanceOf(FullJid.class).hasToString("romeo@example.net/Orchard");
        assertThat(s.to()).as("parsed once").isSameAs(s.to());
        assertThat(s.element().attribute("to")).as("the element is not rewritten").isEqualTo("Juliet@Example.COM");
    }

    @Test
    void absentAddressesAreNull() {
        Stanza s = Stanza.of(element(CLIENT, "presence"));

        assertThat(s.to()).isNull();
        assertThat(s.from()).isNull();
        assertThat(s.id()).isNull();
        assertThat(s.typeAttribute()).isNull();
        assertThat(s.lang()).isNull();
    }

    @Test
    void malformedAddressesThrowOnlyWhenRead() {
        XmlElement e = XmlElement.builder(CLIENT, "message")
                .attribute("to", "@example.com").attribute("from", "juliet@").attribute("id", "m1").build();

        Stanza s = Stanza.of(e);

        assertThat(s.id()).isEqualTo("m1");
        assertThatThrownBy(s::to).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(s::from).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(s::to).as("not cached as null").isInstanceOf(JidFormatException.class);
    }

    @Test
    void idLangAndRawTypeAreRead() {
        Stanza s = Stanza.of(XmlElement.builder(SERVER, "message")
                .attribute("id", "abc-123").attribute("type", "chat").lang("en").build());

        assertThat(s.id()).isEqualTo("abc-123");
        assertThat(s.typeAttribute()).isEqualTo("chat");
        assertThat(s.lang()).isEqualTo("en");
        assertThat(s.isError()).isFalse();
    }

    @Test
    void rawTypeIsKeptEvenWhenUnknown() {
        Message m = (Message) Stanza.of(XmlElement.builder(CLIENT, "message").attribute("type", "bogus").build());

        assertThat(m.typeAttribute()).isEqualTo("bogus");
        assertThat(m.type()).isEqualTo(Message.Type.NORMAL);
    }

    @Test
    void unqualifiedLangIsNotXmlLang() {
        Stanza s = Stanza.of(XmlElement.builder(CLIENT, "message").attribute("lang", "en").build());

        assertThat(s.lang()).isNull();
    }

    @Test
    void builderToTextIsParsedAndNormalised() {
        Message m = Message.builder().to("Juliet@Example.COM/Balcony").build();

        assertThat(m.element().attribute("to")).isEqualTo("juliet@example.com/Balcony");
        assertThatThrownBy(() -> Message.builder().to("juliet@@example.com"))
                .isInstanceOf(JidFormatException.class);
    }

    @Test
    void builderSetsAndRemovesCommonAttributes() {
        Message m = Message.builder()
                .to(Jid.parse("juliet@example.com")).from(Jid.parse("romeo@example.net")).id("x").lang("en")
                .to((Jid) null).id(null)
                .build();

        assertThat(m.element().attribute("to")).isNull();
        assertThat(m.element().attribute("id")).isNull();
        assertThat(m.from()).isEqualTo(Jid.parse("romeo@example.net"));
        assertThat(m.lang()).isEqualTo("en");
        assertThat(m.element().namespace()).isEqualTo(CLIENT);
    }

    @Test
    void withToReturnsANewMessageAndKeepsEverythingElse() {
        Message original = Message.builder().to("juliet@example.com").id("m1").lang("en")
                .type(Message.Type.CHAT).body("hi").child(EXTENSION).build();
        XmlElement before = original.element();

        Message changed = original.withTo(Jid.parse("nurse@example.com"));

        assertThat(changed).isNotSameAs(original).isExactlyInstanceOf(Message.class);
        assertThat(changed.to()).isEqualTo(Jid.parse("nurse@example.com"));
        assertThat(original.to()).isEqualTo(Jid.parse("juliet@example.com"));
        assertThat(original.element()).isSameAs(before);
        assertThat(changed.id()).isEqualTo("m1");
        assertThat(changed.lang()).isEqualTo("en");
        assertThat(changed.type()).isEqualTo(Message.Type.CHAT);
        assertThat(changed.body()).isEqualTo("hi");
        assertThat(changed.element().children()).isEqualTo(original.element().children());
        assertThat(changed.element().child("urn:example:ext", "ext")).isEqualTo(EXTENSION);
    }

    @Test
    void withFromReturnsANewPresenceAndKeepsExtensions() {
        Presence original = Presence.builder().show(Presence.Show.AWAY).child(EXTENSION).build();

        Presence changed = original.withFrom(Jid.parse("juliet@example.com/balcony"));

        assertThat(changed).isExactlyInstanceOf(Presence.class);
        assertThat(changed.from()).isEqualTo(Jid.parse("juliet@example.com/balcony"));
        assertThat(original.from()).isNull();
        assertThat(changed.show()).isEqualTo(Presence.Show.AWAY);
        assertThat(changed.element().children()).isEqualTo(original.element().children());
    }

    @Test
    void withMethodsOnAnIqKeepItsTypeAndPayload() {
        Iq original = Iq.set(EXTENSION).id("a").build();

        Iq withId = original.withId("b");
        Iq withTo = original.withTo(Jid.parse("example.com"));
        Iq withFrom = original.withFrom(Jid.parse("juliet@example.com/balcony"));

        for (Iq iq : new Iq[] {withId, withTo, withFrom}) {
            assertThat(iq).isNotSameAs(original).isExactlyInstanceOf(Iq.class);
            assertThat(iq.type()).isEqualTo(Iq.Type.SET);
            assertThat(iq.payload()).isEqualTo(EXTENSION);
        }
        assertThat(withId.id()).isEqualTo("b");
        assertThat(original.id()).isEqualTo("a");
        assertThat(withTo.to()).isEqualTo(Jid.parse("example.com"));
        assertThat(withTo.id()).isEqualTo("a");
        assertThat(withFrom.from()).isEqualTo(Jid.parse("juliet@example.com/balcony"));
        assertThat(original.to()).isNull();
        assertThat(original.from()).isNull();
    }

    @Test
    void iqWithNullIdIsRejected() {
        Iq iq = Iq.get(PING).id("a").build();

        assertThatThrownBy(() -> iq.withId(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void withNullRemovesTheAttribute() {
        Message m = Message.builder().to("juliet@example.com").from(Jid.parse("romeo@example.net")).id("m1").build();

        assertThat(m.withTo(null).to()).isNull();
        assertThat(m.withTo(null).element().attribute("to")).isNull();
        assertThat(m.withFrom(null).from()).isNull();
        assertThat(m.withId(null).id()).isNull();
        assertThat(m.withId(null).to()).isEqualTo(Jid.parse("juliet@example.com"));
    }

    @Test
    void withMethodsThroughTheBaseTypeReturnTheRuntimeSubtype() {
        Stanza p = Presence.builder().build();
        Stanza m = Message.builder().build();
        Stanza i = Iq.get(PING).id("q").build();

        assertThat(p.withTo(Jid.parse("example.com"))).isExactlyInstanceOf(Presence.class);
        assertThat(m.withFrom(Jid.parse("example.com"))).isExactlyInstanceOf(Message.class);
        assertThat(i.withId("r")).isExactlyInstanceOf(Iq.class);
    }

    @Test
    void withToReplacesAMalformedAddress() {
        Message m = (Message) Stanza.of(XmlElement.builder(CLIENT, "message").attribute("to", "@bad").build());

        assertThat(m.withTo(Jid.parse("example.com")).to()).isEqualTo(Jid.parse("example.com"));
    }

    @Test
    void stanzasAreEqualWhenTheirElementsAre() {
        Message a = Message.builder().to("juliet@example.com").body("x").build();
        Message b = (Message) Stanza.of(a.element().toBuilder().build());

        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a).isNotEqualTo(a.withId("other"));
        assertThat(a.toString()).isEqualTo(a.element().toString());
    }
}
