package org.fluxmpp.stanza;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Presence}: type (RFC 6121 4.7.1), show, status, priority (4.7.2.3), builder. */
class PresenceTest {

    private static XmlElement.Builder presence() {
        return XmlElement.builder("jabber:client", "presence");
    }

    private static Presence parse(XmlElement.Builder b) {
        return (Presence) Stanza.of(b.build());
    }

    private static Presence withChild(String name, String text) {
        return parse(presence().child(XmlElement.builder("jabber:client", name).text(text).build()));
    }

    @Test
    void typeIsAvailableWhenAbsent() {
        assertThat(parse(presence()).type()).isEqualTo(Presence.Type.AVAILABLE);
    }

    @ParameterizedTest
    @EnumSource(value = Presence.Type.class, names = "AVAILABLE", mode = EnumSource.Mode.EXCLUDE)
    void eachTypeIsRead(Presence.Type type) {
        Presence p = parse(presence().attribute("type", type.value()));

        assertThat(p.type()).isEqualTo(type);
        assertThat(p.isError()).isEqualTo(type == Presence.Type.ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "available", "Unavailable", ""})
    void unknownTypeIsNull(String raw) {
        Presence p = parse(presence().attribute("type", raw));

        assertThat(p.type()).isNull();
        assertThat(p.typeAttribute()).isEqualTo(raw);
    }

    @Test
    void typeValues() {
        assertThat(Presence.Type.AVAILABLE.value()).isNull();
        assertThat(Presence.Type.values()).filteredOn(t -> t != Presence.Type.AVAILABLE)
                .extracting(Presence.Type::value)
                .containsExactly("error", "probe", "subscribe", "subscribed", "unavailable", "unsubscribe",
                        "unsubscribed");
        assertThat(Presence.Type.fromValue("probe")).isEqualTo(Presence.Type.PROBE);
        assertThat(Presence.Type.fromValue("available")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Presence.Show.class)
    void eachShowIsRead(Presence.Show show) {
        assertThat(withChild("show", show.value()).show()).isEqualTo(show);
    }

    @Test
    void showValues() {
        assertThat(Presence.Show.values()).extracting(Presence.Show::value)
                .containsExactly("away", "chat", "dnd", "xa");
    }

    @Test
    void showIsNullWhenAbsentOrUnknown() {
        assertThat(parse(presence()).show()).isNull();
        assertThat(withChild("show", "busy").show()).isNull();
    }

    @Test
    void statusIsRead() {
        assertThat(withChild("status", "at the ball").status()).isEqualTo("at the ball");
        assertThat(parse(presence()).status()).isNull();
    }

    @ParameterizedTest
    @CsvSource(value = {
        "0, 0", "5, 5", "-1, -1", "127, 127", "-128, -128", "+7, 7", "' 10 ', 10", "'\t-3 ', -3",
        "128, 0", "-129, 0", "1000, 0", "99999999999, 0",
        "abc, 0", "'', 0", "1.5, 0", "0x10, 0", "'1 2', 0",
    })
    void priorityIsReadWithinBoundsAndZeroOtherwise(String text, int expected) {
        assertThat(withChild("priority", text).priority()).isEqualTo(expected);
    }

    @Test
    void priorityIsZeroWhenAbsent() {
        assertThat(parse(presence()).priority()).isZero();
    }

    @Test
    void builderWritesShowStatusAndPriority() {
        Presence p = Presence.builder().show(Presence.Show.DND).status("busy").priority(-5).build();

        assertThat(p.element().toString()).isEqualTo("<presence xmlns='jabber:client'><show>dnd</show>"
                + "<status>busy</status><priority>-5</priority></presence>");
        assertThat(p.type()).isEqualTo(Presence.Type.AVAILABLE);
        assertThat(p.show()).isEqualTo(Presence.Show.DND);
        assertThat(p.status()).isEqualTo("busy");
        assertThat(p.priority()).isEqualTo(-5);
    }

    @ParameterizedTest
    @ValueSource(ints = {-128, 0, 127})
    void builderAcceptsPriorityWithinBounds(int priority) {
        assertThat(Presence.builder().priority(priority).build().priority()).isEqualTo(priority);
    }

    @ParameterizedTest
    @ValueSource(ints = {-129, 128, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void builderRejectsPriorityOutOfRange(int priority) {
        Presence.Builder b = Presence.builder();

        assertThatIllegalArgumentException().isThrownBy(() -> b.priority(priority));
    }

    @Test
    void builderTypeWritesTheAttributeAndAvailableWritesNone() {
        assertThat(Presence.builder().type(Presence.Type.UNAVAILABLE).build().typeAttribute()).isEqualTo("unavailable");
        assertThat(Presence.builder().type(Presence.Type.SUBSCRIBE).type(Presence.Type.AVAILABLE).build()
                .typeAttribute()).isNull();
        assertThat(Presence.builder().build().element().toString()).isEqualTo("<presence xmlns='jabber:client'/>");
    }
}
