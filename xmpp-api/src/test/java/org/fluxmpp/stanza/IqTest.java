package org.fluxmpp.stanza;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.fluxmpp.jid.Jid;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Iq}: RFC 6120 8.2.3's rules, the builder, payload, and result/error replies. */
class IqTest {

    private static final XmlElement PING = XmlElement.empty("urn:xmpp:ping", "ping");
    private static final XmlElement ROSTER = XmlElement.builder("jabber:iq:roster", "query")
            .child(XmlElement.builder("jabber:iq:roster", "item").attribute("jid", "nurse@example.com").build())
            .build();

    private static XmlElement.Builder iq(String type, XmlElement... children) {
        XmlElement.Builder b = XmlElement.builder("jabber:client", "iq").attribute("id", "i1").attribute("type", type);
        for (XmlElement c : children) {
            b.child(c);
        }
        return b;
    }

    private static Iq request() {
        return Iq.get(ROSTER).id("r1").to("example.com").from(Jid.parse("juliet@example.com/balcony")).build();
    }

    // ---- 8.2.3 ---------------------------------------------------------------------------------------------------

    @Test
    void idIsRequired() {
        XmlElement e = iq("get", PING).attribute("id", null).build();

        assertThatIllegalArgumentException().isThrownBy(() -> Iq.of(e)).withMessageContaining("id");
        assertThatIllegalArgumentException().isThrownBy(() -> Stanza.of(e));
    }

    @Test
    void typeIsRequired() {
        XmlElement e = iq("get", PING).attribute("type", null).build();

        assertThatIllegalArgumentException().isThrownBy(() -> Iq.of(e)).withMessageContaining("type");
        assertThatIllegalArgumentException().isThrownBy(() -> Stanza.of(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "GET", "Result", "", "normal"})
    void typeMustBeKnown(String type) {
        XmlElement e = iq(type, PING).build();

        assertThatIllegalArgumentException().isThrownBy(() -> Iq.of(e));
        assertThatIllegalArgumentException().isThrownBy(() -> Stanza.of(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "set"})
    void requestNeedsExactlyOneChild(String type) {
        assertThatIllegalArgumentException().isThrownBy(() -> Iq.of(iq(type).build()));
        assertThatIllegalArgumentException().isThrownBy(() -> Iq.of(iq(type, PING, ROSTER).build()));
        assertThatIllegalArgumentException().isThrownBy(() -> Stanza.of(iq(type).build()));

        Iq ok = Iq.of(iq(type, PING).build());
        assertThat(ok.type().value()).isEqualTo(type);
        assertThat(ok.isRequest()).isTrue();
    }

    @Test
    void textDoesNotCountAsAChild() {
        Iq iq = Iq.of(iq("get").text("\n  ").child(PING).text("\n").build());

        assertThat(iq.payload()).isEqualTo(PING);
    }

    @Test
    void resultHasAtMostOneChild() {
        assertThat(Iq.of(iq("result").build()).payload()).isNull();
        assertThat(Iq.of(iq("result", ROSTER).build()).payload()).isEqualTo(ROSTER);
        assertThatIllegalArgumentException().isThrownBy(() -> Iq.of(iq("result", PING, ROSTER).build()));
    }

    @Test
    void errorMayCarryTheRequestPayloadAndTheError() {
        XmlElement error = StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND).toElement("jabber:client");

        Iq iq = Iq.of(iq("error", ROSTER, error).build());

        assertThat(iq.type()).isEqualTo(Iq.Type.ERROR);
        assertThat(iq.isRequest()).isFalse();
        assertThat(iq.isError()).isTrue();
        assertThat(iq.payload()).isEqualTo(ROSTER);
        assertThat(iq.error()).isEqualTo(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND));
    }

    @Test
    void payloadOfAnErrorWithOnlyTheErrorIsNull() {
        Iq iq = Iq.of(iq("error", StanzaError.of(StanzaError.Condition.CONFLICT).toElement("jabber:client")).build());

        assertThat(iq.payload()).isNull();
    }

    @Test
    void iqInJabberServerIsAccepted() {
        Iq iq = Iq.of(XmlElement.builder("jabber:server", "iq").attribute("id", "s").attribute("type", "set")
                .child(PING).build());

        assertThat(iq.type()).isEqualTo(Iq.Type.SET);
    }

    @Test
    void typeValues() {
        assertThat(Iq.Type.values()).extracting(Iq.Type::value).containsExactly("get", "set", "result", "error");
        assertThat(Iq.Type.fromValue("result")).isEqualTo(Iq.Type.RESULT);
        assertThat(Iq.Type.fromValue(null)).isNull();
        assertThat(Iq.Type.fromValue("x")).isNull();
    }

    // ---- builder ---------------------------------------------------------------------------------------------

    @Test
    void getBuilderWritesTypeGetAndThePayload() {
        Iq iq = Iq.get(PING).id("p1").to("example.com").build();

        assertThat(iq.type()).isEqualTo(Iq.Type.GET);
        assertThat(iq.id()).isEqualTo("p1");
        assertThat(iq.payload()).isEqualTo(PING);
        assertThat(iq.element().toString())
                .isEqualTo("<iq xmlns='jabber:client' type='get' id='p1' to='example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
    }

    @Test
    void setBuilderWritesTypeSet() {
        Iq iq = Iq.set(ROSTER).id("s1").build();

        assertThat(iq.type()).isEqualTo(Iq.Type.SET);
        assertThat(iq.typeAttribute()).isEqualTo("set");
        assertThat(iq.payload()).isEqualTo(ROSTER);
    }

    @Test
    void aRequestWithoutAnIdGetsOneOfItsOwn() {
        // RFC 6120 8.2.3: the requesting entity generates the id; distinct ids keep responses apart.
        Iq first = Iq.get(PING).build();
        Iq second = Iq.set(ROSTER).build();

        assertThat(first.id()).isNotBlank();
        assertThat(second.id()).isNotBlank().isNotEqualTo(first.id());
        assertThat(Iq.get(PING).id("mine").build().id()).isEqualTo("mine");
    }

    @Test
    void buildWithoutAPayloadThrowsIllegalState() {
        Iq.Builder b = new Iq.Builder(Iq.Type.GET);

        assertThatIllegalStateException().isThrownBy(b::build).withMessageContaining("exactly one child")
                .withCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildWithASecondChildThrowsIllegalState() {
        Iq.Builder b = Iq.set(PING).id("x").child(ROSTER);

        assertThatIllegalStateException().isThrownBy(b::build);
    }

    @Test
    void idIsNeverNullForAValidIq() {
        assertThat(request().id()).isEqualTo("r1");
    }

    // ---- result ----------------------------------------------------------------------------------------------

    @Test
    void resultSwapsAddressesKeepsIdAndHasNoPayload() {
        Iq req = request();

        Iq result = req.result();

        assertThat(result.type()).isEqualTo(Iq.Type.RESULT);
        assertThat(result.typeAttribute()).isEqualTo("result");
        assertThat(result.id()).isEqualTo("r1");
        assertThat(result.to()).isEqualTo(Jid.parse("juliet@example.com/balcony"));
        assertThat(result.from()).isEqualTo(Jid.parse("example.com"));
        assertThat(result.payload()).isNull();
        assertThat(result.element().nodes()).isEmpty();
        assertThat(result.element().namespace()).isEqualTo("jabber:client");
        assertThat(req.payload()).as("the request is unchanged").isEqualTo(ROSTER);
    }

    @Test
    void resultOfARequestWithoutAddressesHasNone() {
        Iq result = Iq.get(PING).id("p").build().result();

        assertThat(result.to()).isNull();
        assertThat(result.from()).isNull();
        assertThat(result.element().toString()).isEqualTo("<iq xmlns='jabber:client' id='p' type='result'/>");
    }

    @Test
    void resultKeepsTheContentNamespace() {
        Iq req = Iq.of(XmlElement.builder("jabber:server", "iq").attribute("id", "s").attribute("type", "get")
                .attribute("from", "a.example").attribute("to", "b.example").child(PING).build());

        assertThat(req.result().element().namespace()).isEqualTo("jabber:server");
        assertThat(req.error(StanzaError.of(StanzaError.Condition.GONE)).element().namespace())
                .isEqualTo("jabber:server");
        assertThat(req.error(StanzaError.of(StanzaError.Condition.GONE)).element().child("jabber:server", "error"))
                .isNotNull();
    }

    @Test
    void resultWithPayloadCarriesIt() {
        Iq result = request().result(ROSTER);

        assertThat(result.type()).isEqualTo(Iq.Type.RESULT);
        assertThat(result.payload()).isEqualTo(ROSTER);
        assertThat(result.element().childCount()).isEqualTo(1);
        assertThat(result.id()).isEqualTo("r1");
        assertThat(result.to()).isEqualTo(Jid.parse("juliet@example.com/balcony"));
    }

    @Test
    void resultWithNullPayloadIsEmpty() {
        assertThat(request().result(null)).isEqualTo(request().result());
    }

    // ---- error -----------------------------------------------------------------------------------------------

    @Test
    void errorSwapsAddressesKeepsIdAndCarriesTheErrorElement() {
        Iq error = request().error(StanzaError.of(StanzaError.Condition.SERVICE_UNAVAILABLE));

        assertThat(error.type()).isEqualTo(Iq.Type.ERROR);
        assertThat(error.isError()).isTrue();
        assertThat(error.id()).isEqualTo("r1");
        assertThat(error.to()).isEqualTo(Jid.parse("juliet@example.com/balcony"));
        assertThat(error.from()).isEqualTo(Jid.parse("example.com"));
        assertThat(error.element().toString()).isEqualTo("<iq xmlns='jabber:client' to='juliet@example.com/balcony'"
                + " from='example.com' id='r1' type='error'><error type='cancel'>"
                + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        assertThat(error.error()).isEqualTo(StanzaError.of(StanzaError.Condition.SERVICE_UNAVAILABLE));
    }

    @Test
    void errorReplyOnAnIqIsError() {
        StanzaError e = StanzaError.of(StanzaError.Condition.FORBIDDEN, "no");
        Stanza req = request();

        Stanza reply = req.errorReply(e);

        assertThat(reply).isExactlyInstanceOf(Iq.class).isEqualTo(request().error(e));
        assertThat(reply.error()).isEqualTo(e);
    }

    @ParameterizedTest
    @EnumSource(value = Iq.Type.class, names = {"RESULT", "ERROR"})
    void responsesAreNeverAnswered(Iq.Type type) {
        Iq response = Iq.of(iq(type.value()).build());
        StanzaError e = StanzaError.of(StanzaError.Condition.BAD_REQUEST);

        assertThatIllegalStateException().isThrownBy(response::result);
        assertThatIllegalStateException().isThrownBy(() -> response.result(PING));
        assertThatIllegalStateException().isThrownBy(() -> response.error(e));
        assertThatIllegalStateException().isThrownBy(() -> response.errorReply(e));
    }
}
