package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fluxmpp.codec.Feed.utf8;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.fluxmpp.codec.Feed.Kind;
import org.fluxmpp.xml.XmlElement;

/** Randomised splits of large streams decode the same as the stream in one piece. */
class DecoderSplitPropertiesTest {

    /** About 400 KB: chat messages, presences with caps and delay, and roster pushes, in many scripts. */
    private static final byte[] LARGE = utf8(largeStream(new Random(42), 1500));
    private static final List<StreamEvent> LARGE_WHOLE =
            Feed.decode(new XmppStreamDecoder(), LARGE, new int[0], Kind.HEAP);

    @AfterContainer
    static void noLeaks() throws InterruptedException {
        LeakCheck.assertNoLeaks();
    }

    @Property(tries = 60)
    void aLargeStreamDecodesTheSameWhereverItIsCut(@ForAll("cuts") int[] cuts, @ForAll Kind kind) {
        assertThat(LARGE_WHOLE).hasSize(1502);

        assertThat(Feed.decode(new XmppStreamDecoder(), LARGE, cuts, kind)).isEqualTo(LARGE_WHOLE);
    }

    @Property(tries = 200)
    void anyTextDecodesTheSameInAnyChunkSize(@ForAll("texts") List<String> texts, @ForAll("chunks") int chunk) {
        StringBuilder sb = new StringBuilder(Feed.HEADER);
        List<XmlElement> expected = new ArrayList<>();
        for (String t : texts) {
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

    @Provide
    Arbitrary<int[]> cuts() {
        return Arbitraries.integers().between(1, LARGE.length - 1).set().ofMaxSize(400)
                .map(s -> new TreeSet<>(s).stream().mapToInt(Integer::intValue).toArray());
    }

    @Provide
    Arbitrary<Integer> chunks() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 8), Arbitraries.integers().between(9, 2000));
    }

    /** Strings of ASCII, Latin-1, CJK and astral characters, with the ones XML must escape. */
    @Provide
    Arbitrary<List<String>> texts() {
        Arbitrary<String> chars = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7E).map(Character::toString),
                Arbitraries.of("<", ">", "&", "'", "\"", "]]>", "\t"),
                Arbitraries.integers().between(0xA0, 0x7FF).map(Character::toString),
                Arbitraries.integers().between(0x4E00, 0x9FFF).map(Character::toString),
                Arbitraries.integers().between(0x1F300, 0x1FAFF).map(Character::toString),
                Arbitraries.integers().between(0x10000, 0x10FFFD).map(Character::toString));
        return chars.list().ofMaxSize(40).map(l -> String.join("", l)).list().ofMinSize(1).ofMaxSize(20);
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
