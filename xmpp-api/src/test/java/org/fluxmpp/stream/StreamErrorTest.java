package org.fluxmpp.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.Arrays;
import javax.xml.XMLConstants;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link StreamError} (RFC 6120 4.9) and {@link StreamErrorException}. */
class StreamErrorTest {

    private static final String STREAMS = "http://etherx.jabber.org/streams";
    private static final String CONDITIONS = "urn:ietf:params:xml:ns:xmpp-streams";

    @Test
    void namespaceConstants() {
        assertThat(StreamError.STREAM_NAMESPACE).isEqualTo(STREAMS);
        assertThat(StreamError.CONDITIONS_NAMESPACE).isEqualTo(CONDITIONS);
    }

    @Test
    void conditionsAreExactlyTheTwentyFiveOfSection493InOrder() {
        assertThat(Arrays.stream(StreamError.Condition.values()).map(StreamError.Condition::elementName))
                .containsExactly("bad-format", "bad-namespace-prefix", "conflict", "connection-timeout",
                        "host-gone", "host-unknown", "improper-addressing", "internal-server-error", "invalid-from",
                        "invalid-namespace", "invalid-xml", "not-authorized", "not-well-formed", "policy-violation",
                        "remote-connection-failed", "reset", "resource-constraint", "restricted-xml",
                        "see-other-host", "system-shutdown", "undefined-condition", "unsupported-encoding",
                        "unsupported-feature", "unsupported-stanza-type", "unsupported-version");
        assertThat(StreamError.Condition.values()).hasSize(25);
    }

    @ParameterizedTest
    @EnumSource(StreamError.Condition.class)
    void conditionIsFoundByItsElementName(StreamError.Condition condition) {
        assertThat(StreamError.Condition.fromElementName(condition.elementName())).isSameAs(condition);
    }

    @Test
    void unknownConditionNameIsNull() {
        assertThat(StreamError.Condition.fromElementName("xml-not-well-formed")).isNull();
        assertThat(StreamError.Condition.fromElementName("HOST-UNKNOWN")).isNull();
        assertThat(StreamError.Condition.fromElementName("")).isNull();
    }

    @Test
    void toElementIsAStreamErrorWithTheConditionInTheStreamsNamespace() {
        XmlElement e = StreamError.of(StreamError.Condition.HOST_UNKNOWN).toElement();

        assertThat(e.is(STREAMS, "error")).isTrue();
        assertThat(e.attributeCount()).isZero();
        assertThat(e.children()).containsExactly(XmlElement.empty(CONDITIONS, "host-unknown"));
        assertThat(e.toString()).isEqualTo("<error xmlns='http://etherx.jabber.org/streams'>"
                + "<host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></error>");
    }

    @Test
    void toElementWritesTextAndApplicationConditionAfterTheCondition() {
        XmlElement app = XmlElement.empty("urn:xmpp:errors", "stanza-too-big");
        StreamError error = StreamError.of(StreamError.Condition.POLICY_VIOLATION).withText("stanza too big")
                .withApplicationCondition(app);

        XmlElement e = error.toElement();

        assertThat(e.children()).hasSize(3);
        assertThat(e.children().get(0)).isEqualTo(XmlElement.empty(CONDITIONS, "policy-violation"));
        assertThat(e.children().get(1)).isEqualTo(XmlElement.builder(CONDITIONS, "text").text("stanza too big")
                .build());
        assertThat(e.children().get(2)).isEqualTo(app);
        assertThat(e.toString()).isEqualTo("<error xmlns='http://etherx.jabber.org/streams'>"
                + "<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>stanza too big</text>"
                + "<stanza-too-big xmlns='urn:xmpp:errors'/></error>");
    }

    @Test
    void textLanguageIsWrittenAsXmlLang() {
        StreamError error = new StreamError(StreamError.Condition.SYSTEM_SHUTDOWN, "au revoir", "fr", null);

        XmlElement text = error.toElement().child(CONDITIONS, "text");

        assertThat(text).isNotNull();
        assertThat(text.attribute(XMLConstants.XML_NS_URI, "lang")).isEqualTo("fr");
        assertThat(text.text()).isEqualTo("au revoir");
    }

    @ParameterizedTest
    @EnumSource(StreamError.Condition.class)
    void everyConditionRoundTrips(StreamError.Condition condition) {
        StreamError plain = StreamError.of(condition);
        StreamError full = new StreamError(condition, "why", "en",
                XmlElement.builder("urn:example:app", "detail").attribute("code", "7").build());

        assertThat(StreamError.fromElement(plain.toElement())).isEqualTo(plain);
        assertThat(StreamError.fromElement(full.toElement())).isEqualTo(full);
    }

    @Test
    void fromElementRejectsAnElementThatIsNotAStreamError() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StreamError.fromElement(XmlElement.empty("jabber:client", "error")));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StreamError.fromElement(XmlElement.empty(STREAMS, "features")));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StreamError.fromElement(XmlElement.empty(CONDITIONS, "error")));
    }

    @Test
    void unknownConditionReadsAsUndefinedCondition() {
        XmlElement e = XmlElement.builder(STREAMS, "error").child(XmlElement.empty(CONDITIONS, "made-up")).build();

        assertThat(StreamError.fromElement(e).condition()).isEqualTo(StreamError.Condition.UNDEFINED_CONDITION);
    }

    @Test
    void missingConditionReadsAsUndefinedCondition() {
        assertThat(StreamError.fromElement(XmlElement.empty(STREAMS, "error")))
                .isEqualTo(StreamError.of(StreamError.Condition.UNDEFINED_CONDITION));
    }

    @Test
    void conditionNameInAnotherNamespaceIsTheApplicationCondition() {
        XmlElement foreign = XmlElement.empty("urn:example", "conflict");
        XmlElement e = XmlElement.builder(STREAMS, "error").child(foreign)
                .child(XmlElement.empty(CONDITIONS, "host-gone")).build();

        StreamError error = StreamError.fromElement(e);

        assertThat(error.condition()).isEqualTo(StreamError.Condition.HOST_GONE);
        assertThat(error.application()).isEqualTo(foreign);
    }

    @Test
    void textAndLangAreRead() {
        XmlElement e = XmlElement.builder(STREAMS, "error")
                .child(XmlElement.empty(CONDITIONS, "conflict"))
                .child(XmlElement.builder(CONDITIONS, "text").lang("en").text("Replaced by new connection").build())
                .build();

        StreamError error = StreamError.fromElement(e);

        assertThat(error).isEqualTo(new StreamError(StreamError.Condition.CONFLICT, "Replaced by new connection",
                "en", null));
    }

    @Test
    void ofHasOnlyTheCondition() {
        assertThat(StreamError.of(StreamError.Condition.RESET))
                .isEqualTo(new StreamError(StreamError.Condition.RESET, null, null, null));
    }

    @Test
    void withMethodsReturnCopies() {
        StreamError base = StreamError.of(StreamError.Condition.BAD_FORMAT);
        XmlElement app = XmlElement.empty("urn:example", "x");

        StreamError changed = base.withText("t").withApplicationCondition(app);

        assertThat(changed).isEqualTo(new StreamError(StreamError.Condition.BAD_FORMAT, "t", null, app));
        assertThat(base.text()).isNull();
        assertThat(base.application()).isNull();
        assertThat(changed.withText(null).text()).isNull();
    }

    @Test
    void conditionIsRequired() {
        assertThatNullPointerException().isThrownBy(() -> new StreamError(null, null, null, null));
    }

    // ---- StreamErrorException --------------------------------------------------------------------------------

    @Test
    void exceptionCarriesTheErrorAndItsCondition() {
        StreamError error = StreamError.of(StreamError.Condition.HOST_UNKNOWN);

        StreamErrorException ex = new StreamErrorException(error);

        assertThat(ex.error()).isSameAs(error);
        assertThat(ex.condition()).isEqualTo(StreamError.Condition.HOST_UNKNOWN);
        assertThat(ex).hasMessage("host-unknown").isInstanceOf(RuntimeException.class);
    }

    @Test
    void exceptionForAConditionAndText() {
        StreamErrorException ex = new StreamErrorException(StreamError.Condition.INVALID_FROM, "'from' must be me");

        assertThat(ex.condition()).isEqualTo(StreamError.Condition.INVALID_FROM);
        assertThat(ex.error()).isEqualTo(StreamError.of(StreamError.Condition.INVALID_FROM)
                .withText("'from' must be me"));
        assertThat(ex).hasMessage("invalid-from: 'from' must be me");
    }

    @Test
    void exceptionRejectsNull() {
        assertThatNullPointerException().isThrownBy(() -> new StreamErrorException(null));
    }

    @Test
    void seeOtherHostCarriesTheHostAsTheConditionsContent() {
        // RFC 6120 4.9.3.19: <see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>[2001:db8::1]:9090</...>
        StreamError error = StreamError.seeOtherHost("[2001:db8::1]:9090").withText("moving");
        XmlElement wire = error.toElement();
        XmlElement condition = wire.child(StreamError.CONDITIONS_NAMESPACE, "see-other-host");
        assertThat(condition).isNotNull();
        assertThat(condition.text()).isEqualTo("[2001:db8::1]:9090");
        StreamError read = StreamError.fromElement(wire);
        assertThat(read).isEqualTo(error);
        assertThat(read.otherHost()).isEqualTo("[2001:db8::1]:9090");
    }

    @Test
    void onlySeeOtherHostNamesAnotherHost() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                new StreamError(StreamError.Condition.CONFLICT, null, null, null, "elsewhere.example"));
        assertThatIllegalArgumentException().isThrownBy(() -> StreamError.seeOtherHost(" "));
        assertThat(StreamError.fromElement(StreamError.of(StreamError.Condition.SEE_OTHER_HOST).toElement())
                .otherHost()).isNull();
    }
}
