package org.fluxmpp.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.fluxmpp.jid.JidFormatException.Part;
import org.junit.jupiter.api.Test;

/** RFC 7622 sections 3.2, 3.3 and 3.4: each part is at most 1023 bytes in UTF-8, counted after preparation. */
class PartLengthTest {

    private static final int MAX = 1023;

    /** {@code labels} labels of 63 letters (the DNS maximum), then one of {@code lastLabel} letters. */
    private static String domain(int labels, int lastLabel) {
        return String.join(".", Collections.nCopies(labels, "a".repeat(63))) + "." + "b".repeat(lastLabel);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void localpartOf1023BytesIsAcceptedAnd1024Refused() {
        assertThat(Jid.parse("a".repeat(MAX) + "@example.com").localpart()).hasSize(MAX);

        JidFormatException e = assertThrows(JidFormatException.class,
                () -> Jid.parse("a".repeat(MAX + 1) + "@example.com"));
        assertThat(e.part()).isEqualTo(Part.LOCALPART);
        assertThat(e.getMessage()).contains("1024 bytes").contains("1023");
    }

    @Test
    void localpartLimitCountsBytesNotCharacters() {
        String twoByte = "ж".repeat(511) + "a";
        assertThat(utf8(twoByte)).isEqualTo(MAX);
        assertThat(Jid.parse(twoByte + "@example.com").localpart()).isEqualTo(twoByte);

        String threeByte = "中".repeat(341);
        assertThat(utf8(threeByte)).isEqualTo(MAX);
        assertThat(Jid.parse(threeByte + "@example.com").localpart()).isEqualTo(threeByte);

        JidFormatException e = assertThrows(JidFormatException.class,
                () -> Jid.parse("ж".repeat(512) + "@example.com"));
        assertThat(e.part()).isEqualTo(Part.LOCALPART);
        assertThat(assertThrows(JidFormatException.class, () -> Jid.parse("中".repeat(342) + "@example.com")).part())
                .isEqualTo(Part.LOCALPART);
    }

    @Test
    void localpartLimitAppliesAfterPreparation() {
        // 3069 bytes as given, but width mapping turns each fullwidth letter into one ASCII byte.
        String fullwidth = "Ａ".repeat(MAX);
        assertThat(utf8(fullwidth)).isEqualTo(3 * MAX);

        assertThat(Jid.parse(fullwidth + "@example.com").localpart()).isEqualTo("a".repeat(MAX));
    }

    @Test
    void domainpartOf1023BytesIsAcceptedAnd1024Refused() {
        String max = domain(15, 63);
        assertThat(max).hasSize(MAX);
        assertThat(Jid.parse("juliet@" + max + "/r").domainpart()).isEqualTo(max);
        // The final dot is stripped before counting.
        assertThat(DomainJid.of(max + ".").domainpart()).isEqualTo(max);

        String over = domain(15, 62) + ".b";
        assertThat(over).hasSize(MAX + 1);
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse("juliet@" + over + "/r"));
        assertThat(e.part()).isEqualTo(Part.DOMAINPART);
        assertThat(e.getMessage()).contains("1024 bytes");
    }

    @Test
    void resourcepartOf1023BytesIsAcceptedAnd1024Refused() {
        assertThat(Jid.parse("juliet@example.com/" + "r".repeat(MAX)).resourcepart()).hasSize(MAX);
        String kings = "♚".repeat(341);
        assertThat(utf8(kings)).isEqualTo(MAX);
        assertThat(Jid.parse("juliet@example.com/" + kings).resourcepart()).isEqualTo(kings);

        JidFormatException e = assertThrows(JidFormatException.class,
                () -> Jid.parse("juliet@example.com/" + "r".repeat(MAX + 1)));
        assertThat(e.part()).isEqualTo(Part.RESOURCEPART);
        assertThat(assertThrows(JidFormatException.class, () -> Jid.parse("juliet@example.com/" + "♚".repeat(342)))
                .part()).isEqualTo(Part.RESOURCEPART);
    }

    @Test
    void resourcepartLimitCountsSupplementaryCharactersAsFourBytes() {
        String faces = "\uD83D\uDE00".repeat(255) + "abc"; // 255 × U+1F600 (4 bytes) + 3 = 1023
        assertThat(utf8(faces)).isEqualTo(MAX);
        assertThat(Jid.parse("example.com/" + faces).resourcepart()).isEqualTo(faces);

        assertThat(Jid.parseOrNull("example.com/" + faces + "d")).isNull();
    }

    @Test
    void jidWithEveryPartAtTheLimitIsAccepted() {
        String text = "a".repeat(MAX) + "@" + domain(15, 63) + "/" + "r".repeat(MAX);

        Jid jid = Jid.parse(text);

        assertThat(jid).hasToString(text);
        assertThat(utf8(jid.toString())).isEqualTo(3 * MAX + 2);
    }

    @Test
    void partsMadeOneByOneHaveTheSameLimits() {
        assertThat(BareJid.of("a".repeat(MAX), "example.com").localpart()).hasSize(MAX);
        assertThat(assertThrows(JidFormatException.class, () -> BareJid.of("a".repeat(MAX + 1), "example.com")).part())
                .isEqualTo(Part.LOCALPART);
        assertThat(assertThrows(JidFormatException.class,
                () -> BareJid.of("juliet", "example.com").withResource("r".repeat(MAX + 1))).part())
                .isEqualTo(Part.RESOURCEPART);
    }

    @Test
    void longInputIsCutShortInTheMessageButKeptInFull() {
        String text = "a".repeat(5000) + "@example.com";

        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse(text));

        assertThat(e.input()).isEqualTo(text);
        assertThat(e.getMessage()).hasSizeLessThan(600).contains("5012 chars");
    }
}
