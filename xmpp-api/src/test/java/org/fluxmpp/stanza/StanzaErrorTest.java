package org.fluxmpp.stanza;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.Arrays;
import javax.xml.XMLConstants;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link StanzaError} (RFC 6120 8.3): conditions, default types, the element form, and the exception. */
class StanzaErrorTest {

    private static final String NS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    @Test
    void namespaceConstant() {
        assertThat(StanzaError.NAMESPACE).isEqualTo(NS);
    }

    @Test
    void thereAreExactlyTheTwentyTwoConditionsOfSection833() {
        assertThat(StanzaError.Condition.values()).hasSize(22);
        assertThat(Arrays.stream(StanzaError.Condition.values()).map(StanzaError.Condition::elementName))
                .containsExactly("bad-request", "conflict", "feature-not-implemented", "forbidden", "gone",
                        "internal-server-error", "item-not-found", "jid-malformed", "not-acceptable", "not-allowed",
                        "not-authorized", "policy-violation", "recipient-unavailable", "redirect",
                        "registration-required", "remote-server-not-found", "remote-server-timeout",
                        "resource-constraint", "service-unavailable", "subscription-required",
                        "undefined-condition", "unexpected-request");
    }

    /** RFC 6120 section 8.3.3: each condition's type (undefined-condition allows any; cancel here). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "bad-request, modify",
        "conflict, cancel",
        "feature-not-implemented, cancel",
        "forbidden, auth",
        "gone, cancel",
        "internal-server-error, cancel",
        "item-not-found, cancel",
        "jid-malformed, modify",
        "not-acceptable, modify",
        "not-allowed, cancel",
        "not-authorized, auth",
        "policy-violation, modify",
        "recipient-unavailable, wait",
        "redirect, modify",
        "registration-required, auth",
        "remote-server-not-found, cancel",
        "remote-server-timeout, wait",
        "resource-constraint, wait",
        "service-unavailable, cancel",
        "subscription-required, auth",
        "undefined-condition, cancel",
        "unexpected-request, wait",
    })
    void conditionHasTheRfcDefaultType(String elementName, String type) {
        StanzaError.Condition condition = StanzaError.Condition.fromElementName(elementName);

        assertThat(condition).isNotNull();
        assertThat(condition.elementName()).isEqualTo(elementName);
        assertThat(condition.defaultType().value()).isEqualTo(type);
        assertThat(StanzaError.of(condition).type().value()).isEqualTo(type);
    }

    @Test
    void unknownConditionNameIsNull() {
        assertThat(StanzaError.Condition.fromElementName("no-such-condition")).isNull();
        assertThat(StanzaError.Condition.fromElementName("BAD-REQUEST")).isNull();
        assertThat(StanzaError.Condition.fromElementName("bad_request")).isNull();
    }

    @Test
    void typeValues() {
        assertThat(StanzaError.Type.values()).extracting(StanzaError.Type::value)
                .containsExactly("auth", "cancel", "continue", "modify", "wait");
        assertThat(StanzaError.Type.fromValue("continue")).isEqualTo(StanzaError.Type.CONTINUE);
        assertThat(StanzaError.Type.fromValue("Cancel")).isNull();
        assertThat(StanzaError.Type.fromValue(null)).isNull();
    }

    @Test
    void ofSetsOnlyConditionDefaultTypeAndText() {
        StanzaError plain = StanzaError.of(StanzaError.Condition.FORBIDDEN);
        StanzaError withText = StanzaError.of(StanzaError.Condition.FORBIDDEN, "go away");

        assertThat(plain).isEqualTo(
                new StanzaError(StanzaError.Type.AUTH, StanzaError.Condition.FORBIDDEN, null, null, null, null));
        assertThat(withText.text()).isEqualTo("go away");
        assertThat(withText.lang()).isNull();
        assertThat(withText.type()).isEqualTo(StanzaError.Type.AUTH);
    }

    @Test
    void typeAndConditionAreRequired() {
        assertThatNullPointerException().isThrownBy(
                () -> new StanzaError(null, StanzaError.Condition.GONE, null, null, null, null));
        assertThatNullPointerException().isThrownBy(
                () -> new StanzaError(StanzaError.Type.CANCEL, null, null, null, null, null));
    }

    @Test
    void withMethodsReturnCopies() {
        StanzaError base = StanzaError.of(StanzaError.Condition.UNDEFINED_CONDITION, "t");
        XmlElement app = XmlElement.empty("urn:example:errors", "too-many");

        StanzaError changed = base.withType(StanzaError.Type.WAIT).withBy("example.com").withApplicationCondition(app);

        assertThat(changed).isEqualTo(new StanzaError(StanzaError.Type.WAIT, StanzaError.Condition.UNDEFINED_CONDITION,
                "t", null, app, "example.com"));
        assertThat(base.type()).isEqualTo(StanzaError.Type.CANCEL);
        assertThat(base.by()).isNull();
        assertThat(base.application()).isNull();
    }

    @Test
    void toElementWritesTypeAndTheConditionOnly() {
        XmlElement e = StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND).toElement("jabber:client");

        assertThat(e.toString()).isEqualTo("<error xmlns='jabber:client' type='cancel'>"
                + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
    }

    @Test
    void toElementWritesEveryPartInOrder() {
        XmlElement app = XmlElement.builder("urn:example:errors", "quota").attribute("max", "5").build();
        StanzaError error = new StanzaError(StanzaError.Type.MODIFY, StanzaError.Condition.NOT_ACCEPTABLE,
                "too <long>", "en", app, "muc.example.com");

        XmlElement e = error.toElement("jabber:server");

        assertThat(e.is("jabber:server", "error")).isTrue();
        assertThat(e.attribute("type")).isEqualTo("modify");
        assertThat(e.attribute("by")).isEqualTo("muc.example.com");
        assertThat(e.children()).hasSize(3);
        assertThat(e.children().get(0)).isEqualTo(XmlElement.empty(NS, "not-acceptable"));
        assertThat(e.children().get(1).is(NS, "text")).isTrue();
        assertThat(e.children().get(1).text()).isEqualTo("too <long>");
        assertThat(e.children().get(1).attribute(XMLConstants.XML_NS_URI, "lang")).isEqualTo("en");
        assertThat(e.children().get(2)).isEqualTo(app);
        assertThat(e.toString()).isEqualTo("<error xmlns='jabber:server' type='modify' by='muc.example.com'>"
                + "<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>too &lt;long&gt;</text>"
                + "<quota xmlns='urn:example:errors' max='5'/></error>");
    }

    @Test
    void textWithoutLangHasNoXmlLang() {
        XmlElement text = StanzaError.of(StanzaError.Condition.CONFLICT, "taken").toElement("jabber:client")
                .child(NS, "text");

        assertThat(text).isNotNull();
        assertThat(text.lang()).isNull();
        assertThat(text.attributeCount()).isZero();
    }

    @Test
    void fullErrorRoundTrips() {
        XmlElement app = XmlElement.builder("urn:example:errors", "quota").text("5").build();
        StanzaError error = new StanzaError(StanzaError.Type.WAIT, StanzaError.Condition.POLICY_VIOLATION,
                "slow down", "en", app, "example.com");

        assertThat(StanzaError.fromElement(error.toElement("jabber:client"))).isEqualTo(error);
    }

    @ParameterizedTest
    @EnumSource(StanzaError.Condition.class)
    void everyConditionRoundTrips(StanzaError.Condition condition) {
        StanzaError plain = StanzaError.of(condition);
        StanzaError withText = StanzaError.of(condition, "because").withType(StanzaError.Type.CONTINUE);

        assertThat(StanzaError.fromElement(plain.toElement("jabber:client"))).isEqualTo(plain);
        assertThat(StanzaError.fromElement(withText.toElement("jabber:server"))).isEqualTo(withText);
    }

    @Test
    void unknownConditionReadsAsUndefinedCondition() {
        XmlElement e = XmlElement.builder("jabber:client", "error").attribute("type", "modify")
                .child(XmlElement.empty(NS, "made-up-condition")).build();

        StanzaError error = StanzaError.fromElement(e);

        assertThat(error.condition()).isEqualTo(StanzaError.Condition.UNDEFINED_CONDITION);
        assertThat(error.type()).isEqualTo(StanzaError.Type.MODIFY);
    }

    @Test
    void missingConditionReadsAsUndefinedCondition() {
        StanzaError error = StanzaError.fromElement(XmlElement.empty("jabber:client", "error"));

        assertThat(error).isEqualTo(StanzaError.of(StanzaError.Condition.UNDEFINED_CONDITION));
    }

    @Test
    void conditionInAnotherNamespaceIsTheApplicationCondition() {
        XmlElement foreign = XmlElement.empty("urn:example", "forbidden");
        XmlElement e = XmlElement.builder("jabber:client", "error").attribute("type", "cancel").child(foreign)
                .child(XmlElement.empty(NS, "gone")).build();

        StanzaError error = StanzaError.fromElement(e);

        assertThat(error.condition()).isEqualTo(StanzaError.Condition.GONE);
        assertThat(error.application()).isEqualTo(foreign);
    }

    @Test
    void missingTypeTakesTheConditionsDefault() {
        XmlElement e = XmlElement.builder("jabber:client", "error")
                .child(XmlElement.empty(NS, "recipient-unavailable")).build();

        assertThat(StanzaError.fromElement(e).type()).isEqualTo(StanzaError.Type.WAIT);
    }

    @Test
    void unknownTypeTakesTheConditionsDefault() {
        XmlElement e = XmlElement.builder("jabber:client", "error").attribute("type", "retry")
                .child(XmlElement.empty(NS, "forbidden")).build();

        assertThat(StanzaError.fromElement(e).type()).isEqualTo(StanzaError.Type.AUTH);
    }

    @Test
    void textAndLangAreRead() {
        XmlElement e = XmlElement.builder("jabber:client", "error").attribute("type", "cancel")
                .child(XmlElement.empty(NS, "gone"))
                .child(XmlElement.builder(NS, "text").lang("fr").text("parti").build())
                .build();

        StanzaError error = StanzaError.fromElement(e);

        assertThat(error.text()).isEqualTo("parti");
        assertThat(error.lang()).isEqualTo("fr");
    }

    // ---- StanzaErrorException --------------------------------------------------------------------------------

    @Test
    void exceptionCarriesTheError() {
        StanzaError error = StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND);

        StanzaErrorException ex = new StanzaErrorException(error);

        assertThat(ex.error()).isSameAs(error);
        assertThat(ex).hasMessage("item-not-found").isInstanceOf(RuntimeException.class);
    }

    @Test
    void exceptionForAConditionAndTextUsesTheDefaultType() {
        StanzaErrorException ex = new StanzaErrorException(StanzaError.Condition.NOT_AUTHORIZED, "log in first");

        assertThat(ex.error()).isEqualTo(StanzaError.of(StanzaError.Condition.NOT_AUTHORIZED, "log in first"));
        assertThat(ex.error().type()).isEqualTo(StanzaError.Type.AUTH);
        assertThat(ex).hasMessage("not-authorized: log in first");
    }

    @Test
    void exceptionRejectsNull() {
        assertThatNullPointerException().isThrownBy(() -> new StanzaErrorException(null));
    }

    @Test
    void goneAndRedirectCarryTheNewAddressAsTheConditionsContent() {
        // RFC 6120 8.3.3.5 and 8.3.3.14: <gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>xmpp:...</gone>
        StanzaError gone = StanzaError.gone("xmpp:romeo@example.net");
        XmlElement wire = gone.toElement("jabber:client");
        XmlElement condition = wire.child(StanzaError.NAMESPACE, "gone");
        assertThat(condition).isNotNull();
        assertThat(condition.text()).isEqualTo("xmpp:romeo@example.net");
        assertThat(wire.attribute("type")).isEqualTo("cancel");
        assertThat(StanzaError.fromElement(wire)).isEqualTo(gone);

        StanzaError redirect = StanzaError.redirect("xmpp:characters@conference.example.org");
        assertThat(redirect.type()).isEqualTo(StanzaError.Type.MODIFY);
        assertThat(StanzaError.fromElement(redirect.toElement("jabber:client")).newAddress())
                .isEqualTo("xmpp:characters@conference.example.org");
        assertThat(StanzaError.gone(null).toElement("jabber:client").child(StanzaError.NAMESPACE, "gone").text())
                .isEmpty();
    }

    @Test
    void onlyGoneAndRedirectCarryANewAddress() {
        assertThatIllegalArgumentException().isThrownBy(() -> new StanzaError(StanzaError.Type.CANCEL,
                StanzaError.Condition.ITEM_NOT_FOUND, null, null, null, null, "xmpp:elsewhere@example.net"));
        assertThatIllegalArgumentException().isThrownBy(() -> StanzaError.redirect(" "));
        assertThat(StanzaError.Condition.GONE.hasNewAddress()).isTrue();
        assertThat(StanzaError.Condition.CONFLICT.hasNewAddress()).isFalse();
    }
}
