package org.fluxmpp.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.fluxmpp.jid.JidFormatException.Part;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rocks.xmpp.precis.PrecisProfiles;

/** The examples of RFC 7622 section 3.5, and the places where the PRECIS library alone would disagree with them. */
class Rfc7622ExamplesTest {

    static Stream<Arguments> validExamples() {
        return Stream.of(
                // input, normalised form, localpart, domainpart, resourcepart
                arguments("juliet@example.com", "juliet@example.com", "juliet", "example.com", null),
                arguments("juliet@example.com/foo", "juliet@example.com/foo", "juliet", "example.com", "foo"),
                arguments("juliet@example.com/foo bar", "juliet@example.com/foo bar", "juliet", "example.com",
                        "foo bar"),
                arguments("juliet@example.com/foo@bar", "juliet@example.com/foo@bar", "juliet", "example.com",
                        "foo@bar"),
                arguments("foo\\20bar@example.com", "foo\\20bar@example.com", "foo\\20bar", "example.com", null),
                arguments("fussball@example.com", "fussball@example.com", "fussball", "example.com", null),
                arguments("fußball@example.com", "fußball@example.com", "fußball", "example.com", null),
                arguments("π@example.com", "π@example.com", "π", "example.com", null),
                arguments("Σ@example.com/foo", "σ@example.com/foo", "σ", "example.com", "foo"),
                arguments("σ@example.com/foo", "σ@example.com/foo", "σ", "example.com", "foo"),
                arguments("ς@example.com/foo", "ς@example.com/foo", "ς", "example.com", "foo"),
                arguments("king@example.com/♚", "king@example.com/♚", "king", "example.com", "♚"),
                arguments("example.com", "example.com", null, "example.com", null),
                arguments("example.com/foobar", "example.com/foobar", null, "example.com", "foobar"),
                arguments("a.example.com/b@example.net", "a.example.com/b@example.net", null, "a.example.com",
                        "b@example.net"));
    }

    @ParameterizedTest(name = "section 3.5.1 example {index}: {0}")
    @MethodSource("validExamples")
    void validExampleParses(String input, String normalised, @Nullable String localpart, String domainpart,
            @Nullable String resourcepart) {
        Jid jid = Jid.parse(input);

        assertThat(jid.toString()).isEqualTo(normalised);
        assertThat(jid.localpart()).isEqualTo(localpart);
        assertThat(jid.domainpart()).isEqualTo(domainpart);
        assertThat(jid.resourcepart()).isEqualTo(resourcepart);
        assertThat(Jid.parse(normalised)).isEqualTo(jid).hasSameHashCodeAs(jid);
    }

    static Stream<Arguments> invalidExamples() {
        return Stream.of(
                // input, failing part, part of the reason
                arguments("\"juliet\"@example.com", Part.LOCALPART, "'\"'"),
                arguments("foo bar@example.com", Part.LOCALPART, "0x20"),
                arguments("juliet@example.com/ foo", Part.RESOURCEPART, "begins with a space"),
                arguments("@example.com/", Part.LOCALPART, "empty"),
                arguments("henryⅣ@example.com", Part.LOCALPART, "Invalid code point"),
                arguments("♚@example.com", Part.LOCALPART, "0x265a"),
                arguments("juliet@", Part.DOMAINPART, "empty"),
                arguments("/foobar", Part.DOMAINPART, "empty"));
    }

    @ParameterizedTest(name = "section 3.5.2 example {index}: {0}")
    @MethodSource("invalidExamples")
    void invalidExampleIsRefused(String input, Part part, String reason) {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse(input));

        assertThat(e.part()).isEqualTo(part);
        assertThat(e.input()).isEqualTo(input);
        assertThat(e.getMessage()).startsWith(part.name().toLowerCase(java.util.Locale.ROOT) + " of '" + input + "'")
                .contains(reason);
        assertThat(Jid.parseOrNull(input)).isNull();
    }

    /*
     * Disagreement 1: UsernameCaseMapped alone accepts quotation marks (and the other characters "&'/:<>@, which are
     * ASCII7 and so PVALID in the IdentifierClass); RFC 7622 section 3.3.1 forbids them in localparts. We follow the
     * RFC; this pins the library's side so that the extra check is not dropped as redundant.
     */
    @Test
    void precisAloneAcceptsTheQuotationMarksThatRfc7622ForbidsInLocalparts() {
        assertThat(PrecisProfiles.USERNAME_CASE_MAPPED.enforce("\"juliet\"")).isEqualTo("\"juliet\"");
        assertThat(Jid.parseOrNull("\"juliet\"@example.com")).isNull();
    }

    /*
     * Disagreement 2: the OpaqueString profile (RFC 8265 section 4.2) allows spaces anywhere, including at the start,
     * and rocks precis 1.1.0 accepts " foo"; yet RFC 7622 section 3.5.2 lists "juliet@example.com/ foo" as invalid
     * because of the leading space. We follow the RFC's example and refuse a leading space (also one that
     * OpaqueString maps to U+0020, such as U+3000); a trailing or inner space stays allowed, since nothing in the RFC
     * rules it out.
     */
    @Test
    void precisAloneAcceptsTheLeadingSpaceThatRfc7622RefusesInResourceparts() {
        assertThat(PrecisProfiles.OPAQUE_STRING.enforce(" foo")).isEqualTo(" foo");
        assertThat(Jid.parseOrNull("juliet@example.com/ foo")).isNull();
        assertThat(Jid.parseOrNull("juliet@example.com/\u3000foo")).isNull();
        assertThat(Jid.parse("juliet@example.com/foo ").resourcepart()).isEqualTo("foo ");
        assertThat(Jid.parse("juliet@example.com/foo\u3000bar").resourcepart()).isEqualTo("foo bar");
    }

    /*
     * Sigma: RFC 7622 section 3.5.1 lists Σ, σ and ς as valid without saying which are equal. RFC 7613, which it
     * cites, case-maps with Unicode Default Case Folding, which would fold both Σ and ς to σ; RFC 8265, which
     * replaced RFC 7613 and which rocks precis 1.1.0 implements, uses Unicode toLowerCase, which maps a lone Σ to σ
     * and keeps ς. We keep the library's (RFC 8265) behaviour: ς@example.com and σ@example.com are different JIDs.
     */
    @Test
    void capitalSigmaMapsToSmallSigmaAndFinalSigmaStaysDistinct() {
        assertThat(Jid.parse("Σ@example.com/foo")).isEqualTo(Jid.parse("σ@example.com/foo"));
        assertThat(Jid.parse("ς@example.com/foo")).isNotEqualTo(Jid.parse("σ@example.com/foo"));
        // toLowerCase is context-sensitive: a capital sigma at the end of a word becomes the final form.
        assertThat(Jid.parse("ΣΑΣ@example.com").localpart()).isEqualTo("σας");
    }

    @Test
    void eszettIsNotMappedToSs() {
        assertThat(Jid.parse("fußball@example.com")).isNotEqualTo(Jid.parse("fussball@example.com"));
    }

    @Test
    void escapedSpaceInLocalpartIsKeptAsIs() {
        // XEP-0106 escaping is above this layer: "\20" is three ordinary characters here.
        assertThat(Jid.parse("foo\\20bar@example.com").localpart()).isEqualTo("foo\\20bar");
    }
}
