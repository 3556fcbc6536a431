package org.fluxmpp.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A realistic client-to-server stream, generated once: mostly short chat messages (some with chat states and text
 * outside ASCII), presences carrying entity capabilities and a delay stamp, pings, and now and then a roster of 200
 * items; whitespace keepalives between some stanzas. The stream header is included, the stream close is not.
 */
final class StanzaMix {

    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='example.com' to='juliet@example.com'"
            + " id='c2s-7f3a' version='1.0' xml:lang='en'>";

    /** A TCP segment's payload on a 1500-byte MTU: what one socket read typically holds. */
    static final int CHUNK = 1460;

    private static final String[] WORDS = {"hello", "where", "art", "thou", "Romeo", "the", "orchard", "wall",
        "is", "high", "and", "hard", "to", "climb", "caf\u00E9", "na\u00EFve", "\u00FCber", "\u4F60\u597D",
        "\uD83D\uDE00", "\u2764\uFE0F", "ok", "see", "you", "tomorrow", "at", "noon"};

    final byte[] bytes;
    final int stanzas;

    private StanzaMix(byte[] bytes, int stanzas) {
        this.bytes = bytes;
        this.stanzas = stanzas;
    }

    static StanzaMix generate(int stanzas, long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(stanzas * 300).append(HEADER);
        for (int i = 0; i < stanzas; i++) {
            int kind = random.nextInt(1000);
            if (kind < 600) {
                message(sb, random, i);
            } else if (kind < 950) {
                presence(sb, random, i);
            } else if (kind < 999) {
                sb.append("<iq type='get' id='ping").append(i).append("' to='example.com'>")
                        .append("<ping xmlns='urn:xmpp:ping'/></iq>");
            } else {
                roster(sb, i);
            }
            if (random.nextInt(10) == 0) {
                sb.append('\n');
            }
        }
        return new StanzaMix(sb.toString().getBytes(StandardCharsets.UTF_8), stanzas);
    }

    private static void message(StringBuilder sb, Random random, int i) {
        sb.append("<message to='romeo@example.net/orchard' from='juliet@example.com/balcony' type='chat' id='msg")
                .append(i).append("'><body>");
        for (int w = 3 + random.nextInt(25); w > 0; w--) {
            String word = WORDS[random.nextInt(WORDS.length)];
            sb.append(word.equals("and") && random.nextBoolean() ? "&amp;" : word).append(' ');
        }
        sb.append("</body>");
        if (random.nextBoolean()) {
            sb.append("<active xmlns='http://jabber.org/protocol/chatstates'/>");
        }
        sb.append("</message>");
    }

    private static void presence(StringBuilder sb, Random random, int i) {
        sb.append("<presence from='user").append(i % 500).append("@example.org/mobile' to='juliet@example.com'>");
        if (random.nextBoolean()) {
            sb.append("<show>away</show><status>In a meeting until 3pm</status>");
        }
        sb.append("<priority>5</priority><c xmlns='http://jabber.org/protocol/caps' hash='sha-1'")
                .append(" node='https://conversations.im' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>")
                .append("<delay xmlns='urn:xmpp:delay' from='example.org' stamp='2025-06-10T23:08:25Z'/>")
                .append("</presence>");
    }

    private static void roster(StringBuilder sb, int i) {
        sb.append("<iq type='result' id='roster").append(i).append("' to='juliet@example.com/balcony'>")
                .append("<query xmlns='jabber:iq:roster' ver='ver").append(i).append("'>");
        for (int j = 0; j < 200; j++) {
            sb.append("<item jid='contact").append(j).append("@example.org' name='Contact ").append(j)
                    .append("' subscription='both'><group>").append(j % 3 == 0 ? "Friends" : "Work")
                    .append("</group></item>");
        }
        sb.append("</query></iq>");
    }

    /** The stream cut into socket-sized buffers from {@code alloc}; the caller releases them. */
    ByteBuf[] chunks(ByteBufAllocator alloc, boolean direct) {
        int n = (bytes.length + CHUNK - 1) / CHUNK;
        ByteBuf[] out = new ByteBuf[n];
        for (int i = 0; i < n; i++) {
            int from = i * CHUNK;
            int length = Math.min(CHUNK, bytes.length - from);
            out[i] = (direct ? alloc.directBuffer(length) : alloc.heapBuffer(length)).writeBytes(bytes, from, length);
        }
        return out;
    }
}
