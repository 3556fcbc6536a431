package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fluxmpp.codec.Feed.HEADER;
import static org.fluxmpp.codec.Feed.elements;
import static org.fluxmpp.codec.Feed.utf8;

import java.util.ArrayList;
import java.util.List;
import org.fluxmpp.codec.Feed.Kind;
import org.fluxmpp.stream.StreamError.Condition;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;

/** Every limit is enforced with {@code policy-violation}, and sizes are enforced before the input is read whole. */
class DecoderLimitsTest {

    private static final int KIB_64 = 64 * 1024;

    /** A message of exactly {@code size} bytes. */
    private static String messageOfSize(int size) {
        String open = "<message><body>";
        String close = "</body></message>";
        return open + "x".repeat(size - open.length() - close.length()) + close;
    }

    private static StreamErrorException failure(DecoderLimits limits, String xml) {
        XmppStreamDecoder decoder = new XmppStreamDecoder(limits);
        byte[] bytes = utf8(xml);
        try {
            Feed.decode(decoder, bytes, new int[0], Kind.POOLED_DIRECT);
        } catch (StreamErrorException e) {
            return e;
        }
        throw new AssertionError("no stream error");
    }

    private static List<StreamEvent> decode(DecoderLimits limits, String xml, int chunk) {
        return Feed.decodeInChunks(new XmppStreamDecoder(limits), utf8(xml), chunk, Kind.POOLED_HEAP);
    }

    private static void assertStanzaTooBig(StreamErrorException e) {
        assertThat(e.condition()).isEqualTo(Condition.POLICY_VIOLATION);
        assertThat(e.error().application()).isEqualTo(XmlElement.empty("urn:xmpp:errors", "stanza-too-big"));
    }

    // ---- stanza size ------------------------------------------------------------------------------------------

    @Test
    void acceptsAStanzaOfExactlyTheLimit() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxStanzaBytes(10_000);

        for (int chunk : new int[] {1460, 7, 100_000}) {
            List<StreamEvent> events = decode(limits, HEADER + "  \n" + messageOfSize(10_000) + " " + messageOfSize(
                    10_000), chunk);
            assertThat(elements(events)).hasSize(2);
        }
    }

    @Test
    void refusesAStanzaOneByteOverTheLimit() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxStanzaBytes(10_000);

        assertStanzaTooBig(failure(limits, HEADER + messageOfSize(10_001)));
    }

    @Test
    void countsEachStanzaOnItsOwn() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxStanzaBytes(10_000);
        String stanzas = messageOfSize(9_000).repeat(50);

        assertThat(elements(decode(limits, HEADER + stanzas, 1460))).hasSize(50);
        assertThat(elements(decode(limits, HEADER + stanzas, 1 << 20))).hasSize(50);
    }

    @Test
    void doesNotCountKeepalivesTowardsTheNextStanza() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxStanzaBytes(10_000);
        String xml = HEADER + " ".repeat(30_000) + messageOfSize(9_000) + "\n".repeat(30_000) + messageOfSize(9_000);

        assertThat(elements(decode(limits, xml, 1460))).hasSize(2);
        assertThat(elements(decode(limits, xml, 1 << 20))).hasSize(2);
    }

    @Test
    void refusesAnOversizedStanzaLongBeforeItEnds() {
        // 10 MB of body text in 64 KiB reads: the default 256 KiB limit must stop it within a few reads.
        byte[] start = utf8(HEADER + "<message><body>");
        int total = 10 * 1024 * 1024;
        byte[] bytes = new byte[total];
        System.arraycopy(start, 0, bytes, 0, start.length);
        java.util.Arrays.fill(bytes, start.length, total, (byte) 'a');

        int limitReads = DecoderLimits.DEFAULT_MAX_STANZA_BYTES / KIB_64 + 2;
        assertFailsWithin(bytes, KIB_64, limitReads, DecoderLimitsTest::assertStanzaTooBig);
    }

    @Test
    void refusesAnOversizedStartTagBeforeItEnds() {
        // A start tag is reported only once complete; its bytes must be counted before that.
        byte[] start = utf8(HEADER + "<message id='");
        byte[] bytes = new byte[10 * 1024 * 1024];
        System.arraycopy(start, 0, bytes, 0, start.length);
        java.util.Arrays.fill(bytes, start.length, bytes.length, (byte) 'a');

        assertFailsWithin(bytes, KIB_64, DecoderLimits.DEFAULT_MAX_STANZA_BYTES / KIB_64 + 2,
                DecoderLimitsTest::assertStanzaTooBig);
    }

    @Test
    void refusesAnOversizedStanzaInASingleHugeBuffer() {
        // One 10 MB read: the decoder slices it, so the failure comes after about the limit, not after 10 MB.
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        byte[] start = utf8(HEADER + "<message><body>");
        byte[] bytes = new byte[10 * 1024 * 1024];
        System.arraycopy(start, 0, bytes, 0, start.length);
        java.util.Arrays.fill(bytes, start.length, bytes.length, (byte) 'a');
        List<Long> elementsSeen = new ArrayList<>();

        assertThatThrownBy(() -> Feed.read(decoder, bytes, 0, bytes.length, Kind.POOLED_DIRECT, new ArrayList<>()))
                .isInstanceOfSatisfying(StreamErrorException.class, e -> {
                    assertStanzaTooBig(e);
                    // "at least N bytes": N is within one slice of the limit.
                    String text = e.error().text();
                    long seen = Long.parseLong(text.replaceAll(".*at least (\\d+) bytes.*", "$1"));
                    elementsSeen.add(seen);
                });
        assertThat(elementsSeen.get(0)).isBetween((long) DecoderLimits.DEFAULT_MAX_STANZA_BYTES,
                (long) DecoderLimits.DEFAULT_MAX_STANZA_BYTES + XmppStreamDecoder.SLICE_BYTES);
    }

    private static void assertFailsWithin(byte[] bytes, int chunk, int maxReads,
                                          java.util.function.Consumer<StreamErrorException> check) {
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        int[] reads = {0};
        assertThatThrownBy(() -> {
            for (int from = 0; from < bytes.length; from += chunk) {
                reads[0]++;
                Feed.read(decoder, bytes, from, Math.min(bytes.length, from + chunk), Kind.POOLED_DIRECT,
                        new ArrayList<>());
            }
        }).isInstanceOfSatisfying(StreamErrorException.class, check);
        assertThat(reads[0]).as("reads before the failure").isLessThanOrEqualTo(maxReads)
                .isLessThan(bytes.length / chunk);
    }

    // ---- stream header ----------------------------------------------------------------------------------------

    @Test
    void refusesAnOversizedStreamHeader() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxHeaderBytes(1000);
        String header = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='" + "a".repeat(1000)
                + "'>";

        StreamErrorException e = failure(limits, header);

        assertThat(e.condition()).isEqualTo(Condition.POLICY_VIOLATION);
        assertThat(e.error().application()).isNull();
        assertThat(decode(DecoderLimits.defaults(), header, 100)).hasSize(1);
    }

    @Test
    void refusesAnEndlessPrologBeforeItEnds() {
        byte[] bytes = utf8("<?xml version='1.0'?>" + " ".repeat(5 * 1024 * 1024));
        XmppStreamDecoder decoder = new XmppStreamDecoder();
        int[] reads = {0};

        assertThatThrownBy(() -> {
            for (int from = 0; from < bytes.length; from += 1460) {
                reads[0]++;
                Feed.read(decoder, bytes, from, Math.min(bytes.length, from + 1460), Kind.HEAP, new ArrayList<>());
            }
        }).isInstanceOfSatisfying(StreamErrorException.class,
                e -> assertThat(e.condition()).isEqualTo(Condition.POLICY_VIOLATION));
        assertThat(reads[0]).isLessThanOrEqualTo(DecoderLimits.DEFAULT_MAX_HEADER_BYTES / 1460 + 2);
    }

    @Test
    void limitsAttributesOnTheStreamHeader() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxAttributes(3);

        assertThat(failure(limits, "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' a='1' b='2'"
                + " c='3'>").condition()).isEqualTo(Condition.POLICY_VIOLATION);
    }

    // ---- element shape ----------------------------------------------------------------------------------------

    @Test
    void limitsDepth() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxDepth(5);
        String ok = "<a><a><a><a><a/></a></a></a></a>";
        String deep = "<a><a><a><a><a><a/></a></a></a></a></a>";

        assertThat(elements(decode(limits, HEADER + ok, 1000))).hasSize(1);
        assertThat(failure(limits, HEADER + deep).condition()).isEqualTo(Condition.POLICY_VIOLATION);
        assertThat(failure(DecoderLimits.defaults(), HEADER + "<a>".repeat(DecoderLimits.DEFAULT_MAX_DEPTH + 1))
                .condition()).isEqualTo(Condition.POLICY_VIOLATION);
    }

    @Test
    void limitsAttributesAndNamespaceDeclarations() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxAttributes(4);
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

        assertThat(elements(decode(limits, header + "<m a='1' b='2' c='3' xmlns='urn:x'/>", 1000))).hasSize(1);
        assertThat(failure(limits, header + "<m a='1' b='2' c='3' d='4' e='5'/>").condition())
                .isEqualTo(Condition.POLICY_VIOLATION);
        assertThat(failure(limits, header + "<m a='1' b='2' c='3' xmlns:x='urn:x' xmlns='urn:y'/>").condition())
                .isEqualTo(Condition.POLICY_VIOLATION);
        StringBuilder many = new StringBuilder("<m");
        for (int i = 0; i <= DecoderLimits.DEFAULT_MAX_ATTRIBUTES; i++) {
            many.append(" a").append(i).append("='1'");
        }
        assertThat(failure(DecoderLimits.defaults(), HEADER + many + "/>").condition())
                .isEqualTo(Condition.POLICY_VIOLATION);
    }

    @Test
    void limitsAttributeValueLength() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxAttributeValueLength(100);

        assertThat(elements(decode(limits, HEADER + "<m id='" + "\u00E9".repeat(100) + "'/>", 7))).hasSize(1);
        assertThat(failure(limits, HEADER + "<m id='" + "x".repeat(101) + "'/>").condition())
                .isEqualTo(Condition.POLICY_VIOLATION);
    }

    @Test
    void limitsTextLengthAcrossReadsAndCdata() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxTextLength(100);

        assertThat(elements(decode(limits, HEADER + "<m>" + "\uD83D\uDE00".repeat(50) + "</m>", 3))).hasSize(1);
        for (int chunk : new int[] {1, 13, 1000}) {
            assertThatThrownBy(() -> decode(limits, HEADER + "<m>" + "x".repeat(60) + "<![CDATA[" + "y".repeat(41)
                    + "]]></m>", chunk))
                    .isInstanceOfSatisfying(StreamErrorException.class,
                            e -> assertThat(e.condition()).isEqualTo(Condition.POLICY_VIOLATION));
        }
        // The limit is per run of text: text around a child element is two runs.
        assertThat(elements(decode(limits, HEADER + "<m>" + "x".repeat(100) + "<b/>" + "y".repeat(100) + "</m>",
                1000))).hasSize(1);
    }

    // ---- the limits object ------------------------------------------------------------------------------------

    @Test
    void hasDocumentedDefaults() {
        DecoderLimits d = DecoderLimits.defaults();

        assertThat(d.maxStanzaBytes()).isEqualTo(262_144);
        assertThat(d.maxHeaderBytes()).isEqualTo(16_384);
        assertThat(d.maxDepth()).isEqualTo(32);
        assertThat(d.maxAttributes()).isEqualTo(64);
        assertThat(d.maxAttributeValueLength()).isEqualTo(16_384);
        assertThat(d.maxTextLength()).isEqualTo(262_144);
    }

    @Test
    void copiesOnEveryChange() {
        DecoderLimits d = DecoderLimits.defaults();
        DecoderLimits changed = d.withMaxStanzaBytes(20_000).withMaxDepth(8).withMaxAttributes(9)
                .withMaxAttributeValueLength(10).withMaxTextLength(11).withMaxHeaderBytes(12);

        assertThat(d).isEqualTo(DecoderLimits.defaults()).isNotEqualTo(changed);
        assertThat(changed).isEqualTo(DecoderLimits.defaults().withMaxStanzaBytes(20_000).withMaxDepth(8)
                .withMaxAttributes(9).withMaxAttributeValueLength(10).withMaxTextLength(11).withMaxHeaderBytes(12));
        assertThat(changed.hashCode()).isNotEqualTo(d.hashCode());
        assertThat(changed.toString()).contains("maxStanzaBytes=20000", "maxHeaderBytes=12");
        assertThat(new XmppStreamDecoder(changed).limits()).isSameAs(changed);
    }

    @Test
    void refusesStanzaLimitsBelowTheRfcMinimumAndNonPositiveLimits() {
        DecoderLimits d = DecoderLimits.defaults();

        assertThatThrownBy(() -> d.withMaxStanzaBytes(9_999)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("13.12");
        assertThatThrownBy(() -> d.withMaxDepth(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxAttributes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxAttributeValueLength(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxTextLength(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxHeaderBytes(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
