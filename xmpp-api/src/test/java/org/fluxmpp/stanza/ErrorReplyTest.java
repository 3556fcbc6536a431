package org.fluxmpp.stanza;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.fluxmpp.jid.Jid;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;

/** Error replies to messages and presences (RFC 6120 8.3.1) and reading the error of an error stanza. */
class ErrorReplyTest {

    private static final StanzaError NOT_FOUND = StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND, "gone away");

    private static Message message() {
        return Message.builder().to("juliet@example.com").from(Jid.parse("romeo@example.net/orchard"))
                .id("m1").lang("en").type(Message.Type.CHAT).body("hi").build();
    }

    @Test
    void messageErrorReplySwapsAddressesKeepsIdAndHasTypeError() {
        Message reply = message().errorReply(NOT_FOUND);

        assertThat(reply).isExactlyInstanceOf(Message.class);
        assertThat(reply.to()).isEqualTo(Jid.parse("romeo@example.net/orchard"));
        assertThat(reply.from()).isEqualTo(Jid.parse("juliet@example.com"));
        assertThat(reply.id()).isEqualTo("m1");
        assertThat(reply.typeAttribute()).isEqualTo("error");
        assertThat(reply.type()).isEqualTo(Message.Type.ERROR);
        assertThat(reply.isError()).isTrue();
        assertThat(reply.lang()).isEqualTo("en");
        assertThat(reply.element().children()).as("the error is the only child")
                .containsExactly(NOT_FOUND.toElement("jabber:client"));
        assertThat(reply.error()).isEqualTo(NOT_FOUND);
    }

    @Test
    void messageErrorReplyLeavesTheOriginalUnchanged() {
        Message original = message();

        original.errorReply(NOT_FOUND);

        assertThat(original).isEqualTo(message());
        assertThat(original.isError()).isFalse();
        assertThat(original.error()).isNull();
    }

    @Test
    void presenceErrorReplySwapsAddressesKeepsIdAndHasTypeError() {
        Presence subscribe = Presence.builder().type(Presence.Type.SUBSCRIBE).to("juliet@example.com")
                .from(Jid.parse("romeo@example.net")).id("p1").build();
        StanzaError e = StanzaError.of(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND);

        Presence reply = subscribe.errorReply(e);

        assertThat(reply).isExactlyInstanceOf(Presence.class);
        assertThat(reply.to()).isEqualTo(Jid.parse("romeo@example.net"));
        assertThat(reply.from()).isEqualTo(Jid.parse("juliet@example.com"));
        assertThat(reply.id()).isEqualTo("p1");
        assertThat(reply.type()).isEqualTo(Presence.Type.ERROR);
        assertThat(reply.element().toString()).isEqualTo("<presence xmlns='jabber:client' to='romeo@example.net'"
                + " from='juliet@example.com' id='p1' type='error'><error type='cancel'>"
                + "<remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>");
        assertThat(reply.error()).isEqualTo(e);
    }

    @Test
    void errorReplyWithoutAddressesOrIdHasNone() {
        Presence reply = Presence.builder().build().errorReply(NOT_FOUND);

        assertThat(reply.to()).isNull();
        assertThat(reply.from()).isNull();
        assertThat(reply.id()).isNull();
        assertThat(reply.lang()).isNull();
    }

    @Test
    void errorReplyIsInTheStanzasNamespace() {
        Message s2s = (Message) Stanza.of(XmlElement.builder("jabber:server", "message")
                .attribute("from", "a@a.example").attribute("to", "b@b.example").build());

        Message reply = s2s.errorReply(NOT_FOUND);

        assertThat(reply.element().namespace()).isEqualTo("jabber:server");
        assertThat(reply.element().child("jabber:server", "error")).isNotNull();
        assertThat(reply.error()).isEqualTo(NOT_FOUND);
    }

    @Test
    void anErrorIsNeverAnsweredWithAnError() {
        Message errorMessage = message().errorReply(NOT_FOUND);
        Presence errorPresence = Presence.builder().type(Presence.Type.ERROR).build();
        Stanza errorIq = Iq.get(XmlElement.empty("urn:xmpp:ping", "ping")).id("x").build().error(NOT_FOUND);

        assertThatIllegalStateException().isThrownBy(() -> errorMessage.errorReply(NOT_FOUND));
        assertThatIllegalStateException().isThrownBy(() -> errorPresence.errorReply(NOT_FOUND));
        assertThatIllegalStateException().isThrownBy(() -> errorIq.errorReply(NOT_FOUND));
    }

    @Test
    void errorIsNullForANonErrorStanza() {
        Message withErrorChildButNoErrorType = (Message) Stanza.of(XmlElement.builder("jabber:client", "message")
                .child(NOT_FOUND.toElement("jabber:client")).build());

        assertThat(message().error()).isNull();
        assertThat(withErrorChildButNoErrorType.error()).isNull();
    }

    @Test
    void errorStanzaWithoutAnErrorChildReadsAsUndefinedCondition() {
        Message m = (Message) Stanza.of(XmlElement.builder("jabber:client", "message").attribute("type", "error")
                .build());

        assertThat(m.error()).isEqualTo(StanzaError.of(StanzaError.Condition.UNDEFINED_CONDITION));
    }

    @Test
    void errorIsReadFromAReceivedStanza() {
        XmlElement received = XmlElement.builder("jabber:client", "message")
                .attribute("type", "error").attribute("from", "juliet@example.com")
                .child(XmlElement.builder("jabber:client", "body").text("original").build())
                .child(XmlElement.builder("jabber:client", "error").attribute("type", "wait")
                        .attribute("by", "example.com")
                        .child(XmlElement.empty(StanzaError.NAMESPACE, "resource-constraint"))
                        .build())
                .build();

        StanzaError error = Stanza.of(received).error();

        assertThat(error).isEqualTo(new StanzaError(StanzaError.Type.WAIT,
                StanzaError.Condition.RESOURCE_CONSTRAINT, null, null, null, "example.com"));
    }
}
