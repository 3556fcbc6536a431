package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fluxmpp.codec.Feed.utf8;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.fluxmpp.codec.Feed.Kind;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Randomised splits of large streams decode the same as the stream in one piece. */
class DecoderSplitPropertiesTest {

    /** About 400 KB: chat messages, presences with caps and delay, and roster pushes, in many scripts. */
    private static final byte[] LARGE = utf8(largeStream(new Random(42), 1500));
    private static final List<StreamEvent> LARGE_WHOLE =
            Feed.decode(new XmppStreamDecoder(), LARGE, new int[0], Kind.HEAP);

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    /** Each seed is one reproducible set of up to 400 cut points, fed as heap, direct or composite buffers. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aLargeStreamDecodesTheSameWhereverItIsCut(long seed) {
        RandomXml gen = new RandomXml(seed);
        TreeSet<Integer> cutSet = new TreeSet<>();
        for (int i = gen.random().nextInt(401); i > 0; i--) {
            cutSet.add(gen.between(1, LARGE.length - 1));
        }
        int[] cuts = cutSet.stream().mapToInt(Integer::intValue).toArray();
        assertThat(LARGE_WHOLE).hasSize(1502);

        assertThat(Feed.decode(new XmppStreamDecoder(), LARGE, cuts, gen.oneOf(Kind.values())))
                .isEqualTo(LARGE_WHOLE);
    }

    static LongStream textSeeds() {
        return LongStream.range(1000, 1200);
    }

    /** Each seed: up to 20 texts of ASCII, Latin-1, CJK and astral characters, fed in a random chunk size. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("textSeeds")
    void anyTextDecodesTheSameInAnyChunkSize(long seed) {
        RandomXml gen = new RandomXml(seed);
        int chunk = gen.random().nextBoolean() ? gen.between(1, 8) : gen.between(9, 2000);
        StringBuilder sb = new StringBuilder(Feed.HEADER);
        List<XmlElement> expected = new ArrayList<>();
        for (int n = gen.between(1, 20); n > 0; n--) {
            String t = text(gen);
            sb.append("<message id='").append(escape(t)).append("'><body>").append(escape(t))
                    .append("</body></message>");
            XmlElement.Builder body = XmlElement.builder("jabber:client", "body").text(t);
            expected.add(XmlElement.builder("jabber:client", "message").attribute("id", t).child(body.build())
                    .build());
        }
        byte[] bytes = utf8(sb.toString());

        List<StreamEvent> events = Feed.decodeInChunks(new XmppStreamDecoder(), bytes, chunk, Kind.HEAP);

        assertThat(Feed.elements(events)).isEqualTo(expected);
    }

    private static final String[] SPECIAL = {"<", ">", "&", "'", "\"", "]]>", "\t"};

    private static String text(RandomXml gen) {
        StringBuilder sb = new StringBuilder();
        for (int i = gen.random().nextInt(41); i > 0; i--) {
            switch (gen.random().nextInt(6)) {
                case 0 -> sb.append((char) gen.between(0x20, 0x7E));
                case 1 -> sb.append(gen.oneOf(SPECIAL));
                case 2 -> sb.append((char) gen.between(0xA0, 0x7FF));
                case 3 -> sb.append((char) gen.between(0x4E00, 0x9FFF));
                case 4 -> sb.appendCodePoint(gen.between(0x1F300, 0x1FAFF));
                default -> sb.appendCodePoint(gen.between(0x10000, 0x10FFFD));
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
                .replace("\t", "&#x9;");
    }

    /** A realistic stream of {@code stanzas} stanzas, with text in several scripts. */
    static String largeStream(Random random, int stanzas) {
        String[] words = {"hello", "caf\u00E9", "\u20AC42", "\u4E2D\u6587", "\uD83D\uDE00", "\uD800\uDF48",
            "\u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439", "&amp;", "&lt;tag&gt;", "x"};
        StringBuilder sb = new StringBuilder(Feed.HEADER);
        for (int i = 0; i < stanzas; i++) {
            switch (random.nextInt(10)) {
                case 0 -> {
                    sb.append("<iq type='set' id='push").append(i).append("'><query xmlns='jabber:iq:roster'>");
                    for (int j = 0; j < 20; j++) {
                        sb.append("<item jid='contact").append(j).append("@example.org' name='")
                                .append(words[random.nextInt(words.length)])
                                .append("' subscription='both'><group>Friends</group></item>");
                    }
                    sb.append("</query></iq>");
                }
                case 1, 2, 3 -> sb.append("<presence from='user").append(i).append("@example.com/res'>")
                        .append("<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://example.com'")
                        .append(" ver='QgayPKawpkPSDYmwT/WM94uAlu0='/><delay xmlns='urn:xmpp:delay'")
                        .append(" stamp='2002-09-10T23:08:25Z'/></presence>\n");
                default -> {
                    sb.append("<message to='romeo@example.net' from='juliet@example.com/balcony' type='chat' id='m")
                            .append(i).append("'><body>");
                    for (int w = random.nextInt(12); w >= 0; w--) {
                        sb.append(words[random.nextInt(words.length)]).append(' ');
                    }
                    sb.append("</body></message>");
                }
            }
        }
        return sb.append("</stream:stream>").toString();
    }
}
