package org.fluxmpp.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.xml.XMLConstants;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.xml.XmlElement;

/**
 * Random XML content from a seeded {@link Random}, so every generated case is reproducible from its seed: element
 * trees, names, namespaces and text with every kind of character the encoder must escape or encode.
 */
final class RandomXml {

    private static final String[] NAMESPACES = {"", "jabber:client", "jabber:server", "urn:a", "urn:b:\u00E9",
        StreamError.STREAM_NAMESPACE, "http://jabber.org/protocol/caps", "urn:x?a=1&b='2'"};
    private static final String[] ATTRIBUTE_NAMESPACES = {"", "", "urn:a", "urn:b", "urn:c"};
    private static final String[] MARKUP = {"<", ">", "&", "'", "\"", "]]>", "\t", "\n", "\r", "\r\n", " ", "&amp;"};
    private static final char[] NAME_START = {'_', '\u00E9', '\u00C0', '\u03B1', '\u4E2D'};
    private static final char[] NAME_REST = {'-', '.', '\u00B7'};

    private final Random random;

    RandomXml(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    <T> T oneOf(T[] values) {
        return values[random.nextInt(values.length)];
    }

    /** One to {@code max} elements, nested up to {@code depth} levels. */
    List<XmlElement> elements(int max, int depth) {
        List<XmlElement> list = new ArrayList<>();
        for (int i = between(1, max); i > 0; i--) {
            list.add(element(depth));
        }
        return list;
    }

    XmlElement element(int depth) {
        XmlElement.Builder b = XmlElement.builder(oneOf(NAMESPACES), name());
        for (int i = random.nextInt(5); i > 0; i--) {
            if (random.nextInt(10) == 0) {
                b.attribute(XMLConstants.XML_NS_URI, "lang", text(12));
            } else {
                b.attribute(oneOf(ATTRIBUTE_NAMESPACES), name(), text(12));
            }
        }
        if (depth == 0) {
            if (random.nextBoolean()) {
                b.text(text(12));
            }
        } else {
            for (int i = random.nextInt(5); i > 0; i--) {
                if (random.nextBoolean()) {
                    b.child(element(depth - 1));
                } else {
                    b.text(text(12));
                }
            }
        }
        return b.build();
    }

    /** An NCName both XML 1.0 editions accept (Aalto reads names by the fourth edition's tables). */
    String name() {
        while (true) {
            StringBuilder sb = new StringBuilder();
            sb.append(nameStart());
            for (int i = random.nextInt(9); i > 0; i--) {
                switch (random.nextInt(3)) {
                    case 0 -> sb.append(nameStart());
                    case 1 -> sb.append((char) between('0', '9'));
                    default -> sb.append(NAME_REST[random.nextInt(NAME_REST.length)]);
                }
            }
            String name = sb.toString();
            if (!name.toLowerCase(Locale.ROOT).startsWith("xml")) {
                return name;
            }
        }
    }

    private char nameStart() {
        return switch (random.nextInt(3)) {
            case 0 -> (char) between('a', 'z');
            case 1 -> (char) between('A', 'Z');
            default -> NAME_START[random.nextInt(NAME_START.length)];
        };
    }

    /**
     * Up to {@code max} pieces of text XML can carry: markup characters, line ends, tabs, and characters of every
     * UTF-8 length including astral ones.
     */
    String text(int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            switch (random.nextInt(6)) {
                case 0 -> sb.append((char) between(0x20, 0x7E));
                case 1 -> sb.append(oneOf(MARKUP));
                case 2 -> sb.append((char) between(0x80, 0x7FF));
                case 3 -> sb.append((char) between(0x800, 0xD7FF));
                case 4 -> sb.append((char) between(0xE000, 0xFFFD));
                default -> sb.appendCodePoint(between(0x10000, 0x10FFFF));
            }
        }
        return sb.toString();
    }
}
