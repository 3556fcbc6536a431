package org.fluxmpp.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fluxmpp.jid.JidFormatException.Part;
import org.junit.jupiter.api.Test;

/** The type lattice (DomainJid within BareJid, FullJid apart), conversions, factories and equality. */
class JidTypesTest {

    @Test
    void parseReturnsADomainJidForADomainpartAlone() {
        Jid jid = Jid.parse("example.com");

        assertThat(jid).isInstanceOf(DomainJid.class);
        assertThat(jid.isDomainJid()).isTrue();
        assertThat(jid.isBareJid()).isTrue();
        assertThat(jid.isFullJid()).isFalse();
        assertThat(jid.asFullJidOrNull()).isNull();
        assertThat(jid.asBareJid()).isSameAs(jid);
        assertThat(jid.asDomainJid()).isSameAs(jid);
        assertThatIllegalStateException().isThrownBy(jid::asFullJidOrThrow).withMessageContaining("example.com");
    }

    @Test
    void parseReturnsABareJidForLocalpartAndDomainpart() {
        Jid jid = Jid.parse("juliet@example.com");

        assertThat(jid).isInstanceOf(BareJid.class).isNotInstanceOf(DomainJid.class);
        assertThat(jid.isBareJid()).isTrue();
        assertThat(jid.isDomainJid()).isFalse();
        assertThat(jid.isFullJid()).isFalse();
        assertThat(jid.resourcepart()).isNull();
        assertThat(jid.asBareJid()).isSameAs(jid);
        assertThat(jid.asDomainJid()).isEqualTo(DomainJid.of("example.com"));
    }

    @Test
    void parseReturnsAFullJidWhenThereIsAResourcepart() {
        Jid jid = Jid.parse("juliet@example.com/balcony");

        assertThat(jid).isInstanceOf(FullJid.class);
        assertThat(jid.isFullJid()).isTrue();
        assertThat(jid.isBareJid()).isFalse();
        assertThat(jid.isDomainJid()).isFalse();
        assertThat(jid.asFullJidOrNull()).isSameAs(jid);
        assertThat(jid.asFullJidOrThrow()).isSameAs(jid);
        assertThat(jid.asBareJid()).isEqualTo(BareJid.parse("juliet@example.com")).isNotInstanceOf(DomainJid.class);
        assertThat(jid.asDomainJid()).isEqualTo(DomainJid.of("example.com"));
    }

    @Test
    void fullJidWithoutLocalpartHasADomainJidAsBarePart() {
        Jid jid = Jid.parse("example.com/foobar");

        assertThat(jid).isInstanceOf(FullJid.class);
        assertThat(jid.localpart()).isNull();
        assertThat(jid.asBareJid()).isInstanceOf(DomainJid.class).isEqualTo(DomainJid.of("example.com"));
    }

    @Test
    void bareJidAndDomainJidOfTheSameDomainAreEqual() {
        DomainJid domain = DomainJid.of("example.com");
        BareJid parsed = BareJid.parse("example.com");
        BareJid made = BareJid.of(null, "EXAMPLE.com.");

        assertThat(parsed).isInstanceOf(DomainJid.class).isEqualTo(domain).hasSameHashCodeAs(domain);
        assertThat(made).isInstanceOf(DomainJid.class).isEqualTo(domain).hasSameHashCodeAs(domain);
        assertThat(domain).isEqualTo(parsed).isEqualTo(made);
        assertThat(Jid.parse("example.com/r").asBareJid()).isEqualTo(domain);
        assertThat(Jid.parse("juliet@example.com").asDomainJid()).isEqualTo(parsed);
    }

    @Test
    void bareAndFullJidsAreNeverEqual() {
        Jid bare = Jid.parse("juliet@example.com");
        Jid full = Jid.parse("juliet@example.com/balcony");
        Jid domain = Jid.parse("example.com");
        Jid domainFull = Jid.parse("example.com/balcony");

        assertThat(bare).isNotEqualTo(full).isNotEqualTo(domain);
        assertThat(full).isNotEqualTo(bare).isNotEqualTo(domainFull);
        assertThat(domain).isNotEqualTo(domainFull).isNotEqualTo(bare);
        assertThat(domainFull).isNotEqualTo(domain);
    }

    @Test
    void equalityIsOnTheNormalisedForm() {
        assertThat(Jid.parse("JULIET@Example.COM./balcony")).isEqualTo(Jid.parse("juliet@example.com/balcony"))
                .hasSameHashCodeAs(Jid.parse("juliet@example.com/balcony"));
        assertThat(Jid.parse("juliet@xn--fa-hia.de")).isEqualTo(Jid.parse("Juliet@FAß.de"));
        assertThat(Jid.parse("ＪＵＬＩＥＴ@example.com")).isEqualTo(Jid.parse("juliet@example.com"));
        // The resourcepart keeps its case (OpaqueString).
        assertThat(Jid.parse("juliet@example.com/Balcony")).isNotEqualTo(Jid.parse("juliet@example.com/balcony"));
        assertThat(Jid.parse("juliet@example.com/Balcony").resourcepart()).isEqualTo("Balcony");
    }

    @Test
    void typedParseRefusesTheOtherKind() {
        JidFormatException notBare = assertThrows(JidFormatException.class,
                () -> BareJid.parse("juliet@example.com/balcony"));
        assertThat(notBare.part()).isEqualTo(Part.RESOURCEPART);
        JidFormatException notFull = assertThrows(JidFormatException.class, () -> FullJid.parse("juliet@example.com"));
        assertThat(notFull.part()).isEqualTo(Part.RESOURCEPART);

        assertThat(BareJid.parseOrNull("juliet@example.com/balcony")).isNull();
        assertThat(BareJid.parseOrNull("juliet@")).isNull();
        assertThat(BareJid.parseOrNull(null)).isNull();
        assertThat(BareJid.parseOrNull("Juliet@example.com")).hasToString("juliet@example.com");
        assertThat(FullJid.parseOrNull("juliet@example.com")).isNull();
        assertThat(FullJid.parseOrNull("juliet@example.com/ foo")).isNull();
        assertThat(FullJid.parseOrNull(null)).isNull();
        assertThat(FullJid.parseOrNull("juliet@example.com/foo")).hasToString("juliet@example.com/foo");
        assertThat(FullJid.parse(new StringBuilder("example.com/r")).localpart()).isNull();
    }

    @Test
    void factoriesPrepareEachPart() {
        assertThat(BareJid.of("Juliet", "Example.COM.")).isEqualTo(Jid.parse("juliet@example.com"))
                .isNotInstanceOf(DomainJid.class);
        assertThat(FullJid.of("Juliet", "example.com", "Balcony")).isEqualTo(Jid.parse("juliet@example.com/Balcony"));
        assertThat(FullJid.of(null, "example.com", "a/b@c")).hasToString("example.com/a/b@c");
        assertThat(BareJid.of("juliet", "example.com").withResource("balcony"))
                .isEqualTo(FullJid.parse("juliet@example.com/balcony"));
        assertThat(DomainJid.of("example.com").withResource("r")).isEqualTo(Jid.parse("example.com/r"));
    }

    @Test
    void factoriesDoNotSplitParts() {
        assertThat(assertThrows(JidFormatException.class, () -> BareJid.of("a@b", "example.com")).part())
                .isEqualTo(Part.LOCALPART);
        assertThat(assertThrows(JidFormatException.class, () -> BareJid.of("a/b", "example.com")).part())
                .isEqualTo(Part.LOCALPART);
        assertThat(assertThrows(JidFormatException.class, () -> BareJid.of("", "example.com")).part())
                .isEqualTo(Part.LOCALPART);
        assertThat(assertThrows(JidFormatException.class, () -> DomainJid.of("juliet@example.com")).part())
                .isEqualTo(Part.DOMAINPART);
        assertThat(assertThrows(JidFormatException.class, () -> DomainJid.of("example.com/foo")).part())
                .isEqualTo(Part.DOMAINPART);
        assertThat(assertThrows(JidFormatException.class, () -> DomainJid.of("")).part())
                .isEqualTo(Part.DOMAINPART);
        assertThat(assertThrows(JidFormatException.class, () -> FullJid.of("juliet", "example.com", "")).part())
                .isEqualTo(Part.RESOURCEPART);
        assertThat(assertThrows(JidFormatException.class, () -> FullJid.of("juliet", "example.com", " x")).part())
                .isEqualTo(Part.RESOURCEPART);
        JidFormatException e = assertThrows(JidFormatException.class, () -> BareJid.of("a@b", "example.com"));
        assertThat(e.input()).isEqualTo("a@b");
        assertThat(e.getMessage()).contains("'@'");
    }
}
