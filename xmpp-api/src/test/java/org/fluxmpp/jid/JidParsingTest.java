package org.fluxmpp.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fluxmpp.jid.JidFormatException.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import rocks.xmpp.precis.InvalidCodePointException;

/** Splitting (RFC 7622 section 3.1), localpart and resourcepart preparation, errors, and the parse cache. */
class JidParsingTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t", "\n", " \r\n "})
    void emptyOrWhitespaceOnlyInputIsRefusedAsAWhole(String input) {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse(input));

        assertThat(e.part()).isEqualTo(Part.JID);
        assertThat(e.getMessage()).startsWith("jid of '");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // input                          | localpart | domainpart  | resourcepart
            "juliet@example.com/foo/bar       | juliet    | example.com | foo/bar",
            "juliet@example.com/@             | juliet    | example.com | @",
            "juliet@example.com//             | juliet    | example.com | /",
            "juliet@example.com/a@b/c@d       | juliet    | example.com | a@b/c@d",
            "example.com/a@b                  | -         | example.com | a@b",
            "a/b@example.com                  | -         | a           | b@example.com",
    })
    void firstSlashStartsTheResourcepartAndAnAtSignBeforeItEndsTheLocalpart(String input, String localpart,
            String domainpart, String resourcepart) {
        Jid jid = Jid.parse(input);

        assertThat(jid.localpart()).isEqualTo(localpart);
        assertThat(jid.domainpart()).isEqualTo(domainpart);
        assertThat(jid.resourcepart()).isEqualTo(resourcepart);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "juliet@example.com/              | RESOURCEPART",
            "@example.com                     | LOCALPART",
            "@                                | LOCALPART",
            "example.com@                     | DOMAINPART",
            "/                                | DOMAINPART",
            "' juliet@example.com'            | LOCALPART",
            "'juliet@example.com/foo\u0000'   | RESOURCEPART",
            "juliet@example.com/a\tb          | RESOURCEPART",
            "juliet@example.com/x\u200Dy      | RESOURCEPART",
            "\u05D0a@example.com              | LOCALPART",
            "a\u00ADb@example.com             | LOCALPART",
    })
    void invalidPartIsNamed(String input, Part part) {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse(input));

        assertThat(e.part()).isEqualTo(part);
        assertThat(e.input()).isEqualTo(input);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"", "&", "'", ":", "<", ">"})
    void charactersThatRfc7622AddsToUsernameCaseMappedAreRefusedInLocalparts(String c) {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse("a" + c + "b@example.com"));

        assertThat(e.part()).isEqualTo(Part.LOCALPART);
        assertThat(e.getMessage()).contains("'" + c + "'").contains("RFC 7622 section 3.3.1");
    }

    @Test
    void forbiddenCharacterIsFoundAlsoWhenWidthMappingProducesIt() {
        // U+FF02 FULLWIDTH QUOTATION MARK becomes '"' under the width mapping of UsernameCaseMapped.
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse("＂juliet＂@example.com"));

        assertThat(e.part()).isEqualTo(Part.LOCALPART);
    }

    @Test
    void localpartIsCaseAndWidthMappedAndNormalised() {
        assertThat(Jid.parse("ＪＵＬＩＥＴ@example.com").localpart()).isEqualTo("juliet");
        assertThat(Jid.parse("JULIET@example.com").localpart()).isEqualTo("juliet");
        assertThat(Jid.parse("E\u0301@example.com").localpart()).isEqualTo("\u00E9"); // NFC after lower-casing
        assertThat(Jid.parse("\u0627\u0644@example.com").localpart()).isEqualTo("\u0627\u0644"); // RTL alone is fine
    }

    @Test
    void resourcepartKeepsCaseAndMapsSpaces() {
        assertThat(Jid.parse("juliet@example.com/Foo Bar").resourcepart()).isEqualTo("Foo Bar");
        assertThat(Jid.parse("juliet@example.com/henryⅣ").resourcepart()).isEqualTo("henryⅣ");
        assertThat(Jid.parse("juliet@example.com/a\u00A0b").resourcepart()).isEqualTo("a b");
    }

    @Test
    void errorWrapsTheLibraryMessageAndCause() {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse("foo bar@example.com"));

        assertThat(e.getMessage()).isEqualTo("localpart of 'foo bar@example.com' is invalid: not a PRECIS"
                + " UsernameCaseMapped string (RFC 8265, RFC 7622 section 3.3): Invalid code point at position 3: 0x20");
        assertThat(e.getCause()).isInstanceOf(InvalidCodePointException.class);
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void publicConstructorBuildsTheSameMessage() {
        JidFormatException e = new JidFormatException(Part.DOMAINPART, "juliet@", "empty");

        assertThat(e.part()).isEqualTo(Part.DOMAINPART);
        assertThat(e.input()).isEqualTo("juliet@");
        assertThat(e.getMessage()).isEqualTo("domainpart of 'juliet@' is invalid: empty");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void parseOrNullAnswersNullForNullAndInvalidInput() {
        assertThat(Jid.parseOrNull(null)).isNull();
        assertThat(Jid.parseOrNull("")).isNull();
        assertThat(Jid.parseOrNull("juliet@")).isNull();
        assertThat(Jid.parseOrNull("Juliet@example.com")).isEqualTo(Jid.parse("juliet@example.com"));
    }

    @Test
    void normalisedFormReadsBackToAnEqualJid() {
        for (String input : List.of("Juliet@EXAMPLE.com./Balcony", "xn--fa-hia.de", "ＪＵＬＩＥＴ@[0:0::1]/x",
                "Σ@example.com/♚ ")) {
            Jid jid = Jid.parse(input);
            Jid again = Jid.parse(jid.toString());
            assertThat(again).isEqualTo(jid).hasToString(jid.toString());
        }
    }

    @Test
    void alreadyNormalisedInputIsAnsweredFromTheCache() {
        String text = "cached-juliet@example.com/balcony";

        Jid first = Jid.parse(text);
        Jid second = Jid.parse(new StringBuilder(text));

        assertThat(second).isSameAs(first);
    }

    @Test
    void inputThatIsNotNormalisedStillGivesTheNormalisedJid() {
        Jid first = Jid.parse("Uncached-Juliet@Example.com");
        Jid second = Jid.parse("Uncached-Juliet@Example.com");

        assertThat(second).isEqualTo(first).hasToString("uncached-juliet@example.com");
    }

    @Test
    void cacheHitNeverAnswersADifferentJid() {
        // Far more addresses than cache slots, so slots are shared and overwritten all the time.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5000; i++) {
                String text = "user" + i + "@host" + (i % 7) + ".example/r" + (i % 3);
                assertThat(Jid.parse(text)).hasToString(text);
            }
        }
    }

    @Test
    void concurrentParsingGivesConsistentResults() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        int n = (i * 31 + offset) % 3000;
                        String text = "u" + n + "@example.com/" + n;
                        Jid jid = Jid.parse(text);
                        if (!jid.toString().equals(text) || !("u" + n).equals(jid.localpart())) {
                            throw new AssertionError("parsed " + text + " as " + jid);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
