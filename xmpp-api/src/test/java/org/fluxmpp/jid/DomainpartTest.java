package org.fluxmpp.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.IDN;
import org.fluxmpp.jid.JidFormatException.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Domainparts (RFC 7622 section 3.2): IDNA2008 names, the final dot, and IP literals. */
class DomainpartTest {

    @Test
    void eszettStaysEszettUnderIdna2008() {
        assertThat(DomainJid.of("faß.de").domainpart()).isEqualTo("faß.de");
        assertThat(Jid.parse("juliet@faß.de/foo").domainpart()).isEqualTo("faß.de");
        assertThat(DomainJid.of("faß.de")).isNotEqualTo(DomainJid.of("fass.de"));
        // What IDNA2003 (java.net.IDN) would have made of it: a different domain.
        assertThat(IDN.toASCII("faß.de")).isEqualTo("fass.de");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "EXAMPLE.com.,            example.com",
            "example.com,             example.com",
            "Example.COM,             example.com",
            "xn--fa-hia.de,           faß.de",
            "XN--FA-HIA.DE,           faß.de",
            "FASS.DE,                 fass.de",
            "BÜCHER.example,          bücher.example",
            "xn--bcher-kva.example,   bücher.example",
            "ｅｘａｍｐｌｅ．ｃｏｍ,  example.com",
            "example。com,            example.com",
            "example.com。,           example.com",
            "exa\u00ADmple.com,       example.com",
            "localhost,               localhost",
    })
    void domainNameIsNormalisedToLowerCaseULabelsWithoutFinalDot(String input, String expected) {
        assertThat(DomainJid.of(input).domainpart()).isEqualTo(expected);
        assertThat(Jid.parse(input)).isEqualTo(DomainJid.of(expected));
        assertThat(Jid.parse("juliet@" + input + "/r").domainpart()).isEqualTo(expected);
    }

    @Test
    void finalDotIsStrippedInFullJids() {
        assertThat(Jid.parse("Juliet@EXAMPLE.com./Balcony")).hasToString("juliet@example.com/Balcony")
                .isEqualTo(Jid.parse("juliet@example.com/Balcony"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            ".", "example.com..", ".example.com", "a..b", // empty labels
            "a_b.example", "exa mple.com", "example.com!", // STD3 rules
            "-a.example", "a-.example", "ab--cd.example",  // hyphens
            "xn--ab.example",                              // not valid Punycode
            "a\u200Db.example",                            // ZWJ without a virama before it (CONTEXTJ)
            "a\u00B7b.example",                            // middle dot outside l·l (CONTEXTO)
            "\u05D0a.example",                             // LTR letter in an RTL label (Bidi rule)
    })
    void invalidDomainNameIsRefused(String domain) {
        JidFormatException e = assertThrows(JidFormatException.class, () -> DomainJid.of(domain));

        assertThat(e.part()).isEqualTo(Part.DOMAINPART);
        assertThat(e.getMessage()).startsWith("domainpart of '" + domain + "' is invalid");
        assertThat(Jid.parseOrNull("juliet@" + domain + "/r")).isNull();
    }

    @Test
    void domainErrorNamesTheIdnaError() {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse("juliet@a_b.example"));

        assertThat(e.part()).isEqualTo(Part.DOMAINPART);
        assertThat(e.getMessage()).contains("IDNA2008").contains("DISALLOWED");
    }

    @Test
    void atSignAfterTheFirstBelongsToTheDomainpart() {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse("a@b@example.com"));

        assertThat(e.part()).isEqualTo(Part.DOMAINPART);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "127.0.0.1,      127.0.0.1",
            "192.0.2.1.,     192.0.2.1",
            "0.0.0.0,        0.0.0.0",
            "255.255.255.255, 255.255.255.255",
    })
    void ipv4AddressIsAccepted(String input, String expected) {
        assertThat(DomainJid.of(input).domainpart()).isEqualTo(expected);
        assertThat(Jid.parse("juliet@" + input + "/balcony")).hasToString("juliet@" + expected + "/balcony");
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "192.0.2.01", "192.0.2.1000", "1.2.3.-4"})
    void invalidIpv4AddressIsRefused(String input) {
        JidFormatException e = assertThrows(JidFormatException.class, () -> DomainJid.of(input));

        assertThat(e.part()).isEqualTo(Part.DOMAINPART);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "[::1],                         [::1]",
            "[0:0:0:0:0:0:0:1],             [::1]",
            "[::],                          [::]",
            "[0:0:0:0:0:0:0:0],             [::]",
            "[2001:DB8:0:0:0:0:0:1],        [2001:db8::1]",
            "[2001:0db8:0000::0001],        [2001:db8::1]",
            "[2001:db8:0:0:1:0:0:1],        [2001:db8::1:0:0:1]",
            "[2001:db8:0:1:1:1:1:1],        [2001:db8:0:1:1:1:1:1]",
            "[1:2:3:4:5:6:7::],             [1:2:3:4:5:6:7:0]",
            "[1:0:0:2:0:0:0:3],             [1:0:0:2::3]",
            "[::ffff:192.0.2.1],            [::ffff:192.0.2.1]",
            "[::FFFF:C000:0201],            [::ffff:192.0.2.1]",
            "[2001:db8::192.0.2.1],         [2001:db8::c000:201]",
    })
    void ipv6AddressInBracketsIsAcceptedInCanonicalForm(String input, String expected) {
        assertThat(DomainJid.of(input).domainpart()).isEqualTo(expected);
        assertThat(Jid.parse("juliet@" + input + "/balcony")).hasToString("juliet@" + expected + "/balcony")
                .isEqualTo(Jid.parse("juliet@" + expected + "/balcony"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "::1", "2001:db8::1", "example.com:5222",          // no brackets
            "[::1", "[", "[]", "[example.com]", "[192.0.2.1]",  // not an IPv6 address in brackets
            "[1::2::3]", "[:::]", "[:1::]", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7]", "[1:2:3:4:5:6:7:8::]",
            "[12345::]", "[::g]", "[fe80::1%eth0]", "[::1.2.3.256]", "[1.2.3.4::]", "[::١]",
    })
    void invalidIpLiteralIsRefused(String input) {
        JidFormatException e = assertThrows(JidFormatException.class, () -> DomainJid.of(input));

        assertThat(e.part()).isEqualTo(Part.DOMAINPART);
    }

    @Test
    void ipv6AddressWithoutBracketsGetsAHint() {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse("juliet@::1"));

        assertThat(e.getMessage()).contains("brackets");
    }
}
