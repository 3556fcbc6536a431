package org.fluxmpp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import javax.xml.XMLConstants;
import org.fluxmpp.codec.internal.XmlChars;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.xml.XmlElement;
import org.fluxmpp.xml.XmlNode;
import org.fluxmpp.xml.XmlText;
import org.jspecify.annotations.Nullable;

/**
 * Writes an XML stream (RFC 6120 section 4) as UTF-8 into Netty buffers: the stream header, elements and the
 * stream close. Stateless and thread-safe; one instance can serve every connection.
 *
 * <pre>{@code
 * XmppStreamEncoder encoder = new XmppStreamEncoder();
 * channel.write(encoder.encodeOpen(StreamHeader.of("jabber:client", "example.com", null, id, "1.0", "en"), alloc));
 * channel.write(encoder.encode(features, "jabber:client", alloc));   // <stream:features>...</stream:features>
 * channel.writeAndFlush(encoder.encode(message, "jabber:client", alloc));
 * channel.writeAndFlush(encoder.encodeClose(alloc));
 * }</pre>
 *
 * <p>Namespaces: an element in the stream namespace ({@code <stream:features>}, {@code <stream:error>}) is written
 * with the {@value StreamHeader#STREAM_PREFIX} prefix that {@link #encodeOpen} declares; any other element gets an
 * {@code xmlns} declaration only where its namespace differs from the one in scope (the stream's content namespace
 * for a first-level element, its parent's otherwise). Attributes in the XML namespace are written with {@code xml:};
 * other qualified attributes get a prefix declared on their element.
 *
 * <p>Escaping: {@code &}, {@code <} and {@code >} always; attribute values are delimited by {@code '} and also
 * escape {@code '}, tab and line feed; a carriage return is written as {@code &#xD;} everywhere, so that every
 * string reads back exactly as it was (XML 1.0 sections 2.11 and 3.3.3).
 *
 * <p>Speed: characters are encoded and escaped in one pass, without intermediate strings, into a per-thread scratch
 * array, then copied into a buffer of exactly the encoded size with one bulk write; writing a byte at a time into a
 * {@link ByteBuf} would check bounds and the reference count for every byte.
 *
 * <p>Errors: a name that is not an XML NCName, or a character that XML 1.0 does not allow (control characters other
 * than tab, line feed and carriage return, U+FFFE, U+FFFF, unpaired surrogates; RFC 6120 section 11.1 and XML 1.0
 * section 2.2) is refused with an {@link IllegalArgumentException} before any buffer is allocated or written to.
 * Nothing invalid is ever sent.
 */
public final class XmppStreamEncoder {

    private static final byte[] STREAM_OPEN = ascii("<?xml version='1.0'?><stream:stream");
    private static final byte[] STREAM_NAMESPACE_DECLARATION =
            ascii(" xmlns:stream='" + StreamError.STREAM_NAMESPACE + "'");
    private static final byte[] STREAM_CLOSE = ascii("</stream:stream>");
    private static final byte[] STREAM_PREFIX = ascii(StreamHeader.STREAM_PREFIX + ":");
    private static final byte[] XMLNS = ascii(" xmlns='");
    private static final byte[] XMLNS_PREFIXED = ascii(" xmlns:ns");
    private static final byte[] XML_PREFIX = ascii(" xml:");
    private static final byte[] NS_PREFIX = ascii(" ns");
    private static final byte[] EQUALS_QUOTE = ascii("='");
    private static final byte[] EMPTY_END = ascii("/>");
    private static final byte[] END_TAG = ascii("</");

    /** Marks a character that must not be written at all. */
    private static final byte[] INVALID = new byte[0];
    /** Replacement bytes per ASCII character in text; {@code null} where the character is written as is. */
    private static final byte[][] TEXT_ESCAPES = new byte[128][];
    /** The same for attribute values delimited by {@code '}. */
    private static final byte[][] ATTRIBUTE_ESCAPES = new byte[128][];
    /** The longest replacement, {@code &apos;}, in bytes: the most one char can take. */
    private static final int MAX_BYTES_PER_CHAR = 6;

    static {
        for (int c = 0; c < 0x20; c++) {
            TEXT_ESCAPES[c] = INVALID;
            ATTRIBUTE_ESCAPES[c] = INVALID;
        }
        TEXT_ESCAPES['\t'] = null;
        TEXT_ESCAPES['\n'] = null;
        // Parsers turn CR and CRLF into LF in text, and tab, LF and CR into spaces in attribute values: only
        // character references survive.
        TEXT_ESCAPES['\r'] = ascii("&#xD;");
        ATTRIBUTE_ESCAPES['\t'] = ascii("&#x9;");
        ATTRIBUTE_ESCAPES['\n'] = ascii("&#xA;");
        ATTRIBUTE_ESCAPES['\r'] = ascii("&#xD;");
        for (byte[][] table : new byte[][][] {TEXT_ESCAPES, ATTRIBUTE_ESCAPES}) {
            table['&'] = ascii("&amp;");
            table['<'] = ascii("&lt;");
            table['>'] = ascii("&gt;");
        }
        ATTRIBUTE_ESCAPES['\''] = ascii("&apos;");
    }

    /**
     * Each thread writes into its own scratch array, then copies the result into a buffer of exactly the right
     * size in one go: byte-at-a-time writes into a {@link ByteBuf} check bounds and reference counts every time.
     */
    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    /** An encoder; it holds no state, so one instance may be shared. */
    public XmppStreamEncoder() {
        // Stateless: all methods work on their arguments only.
    }

    /**
     * Writes the XML declaration and the stream open tag (RFC 6120 sections 4.7 and 11.5), such as
     * {@code <?xml version='1.0'?><stream:stream xmlns='jabber:client'
     * xmlns:stream='http://etherx.jabber.org/streams' id='..' from='..' to='..' version='1.0' xml:lang='en'>}.
     * Absent attributes are left out. The stream element always gets the {@value StreamHeader#STREAM_PREFIX}
     * prefix, whatever {@link StreamHeader#streamPrefix()} says, because {@link #encode encode} relies on it.
     *
     * @param header the attributes to write
     * @param alloc  allocates the returned buffer
     * @return a new buffer holding the bytes; the caller owns it
     * @throws IllegalArgumentException if an attribute value holds a character XML does not allow
     */
    public ByteBuf encodeOpen(StreamHeader header, ByteBufAllocator alloc) {
        Objects.requireNonNull(header, "header");
        Scratch s = SCRATCH.get().start();
        s.bytes(STREAM_OPEN);
        if (header.contentNamespace() != null) {
            s.bytes(XMLNS);
            s.escaped(header.contentNamespace(), ATTRIBUTE_ESCAPES);
            s.ascii('\'');
        }
        s.bytes(STREAM_NAMESPACE_DECLARATION);
        headerAttribute(s, "id", header.id());
        headerAttribute(s, "from", header.from());
        headerAttribute(s, "to", header.to());
        headerAttribute(s, "version", header.version());
        headerAttribute(s, "xml:lang", header.lang());
        s.ascii('>');
        return s.copyTo(alloc);
    }

    /**
     * Writes one first-level element of a stream whose content namespace is {@code contentNamespace}.
     *
     * @param element          the element, such as a stanza or {@code <stream:features/>}
     * @param contentNamespace the default namespace the stream header declared (such as {@code jabber:client}),
     *                         {@code ""} for none; elements in it are written without {@code xmlns}
     * @param alloc            allocates the returned buffer, of exactly the encoded size
     * @return a new buffer holding the bytes; the caller owns it
     * @throws IllegalArgumentException if a name is not an NCName or a character is not allowed in XML
     */
    public ByteBuf encode(XmlElement element, String contentNamespace, ByteBufAllocator alloc) {
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(contentNamespace, "contentNamespace");
        Scratch s = SCRATCH.get().start();
        element(s, element, contentNamespace, true, false);
        return s.copyTo(alloc);
    }

    /**
     * Appends one first-level element to {@code out}, for writing several elements into one buffer.
     *
     * @param element          the element
     * @param contentNamespace the stream's content namespace, {@code ""} for none
     * @param out              receives the bytes at its writer index
     * @throws IllegalArgumentException if a name is not an NCName or a character is not allowed in XML; nothing is
     *                                  written to {@code out} then
     */
    public void encode(XmlElement element, String contentNamespace, ByteBuf out) {
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(contentNamespace, "contentNamespace");
        Scratch s = SCRATCH.get().start();
        element(s, element, contentNamespace, true, false);
        s.copyTo(out);
    }

    /**
     * Writes the stream close tag, {@code </stream:stream>} (RFC 6120 section 4.4).
     *
     * @param alloc allocates the returned buffer
     * @return a new buffer holding the bytes; the caller owns it
     */
    public ByteBuf encodeClose(ByteBufAllocator alloc) {
        return alloc.buffer(STREAM_CLOSE.length).writeBytes(STREAM_CLOSE);
    }

    /**
     * Writes {@code element} as a document of its own: every namespace declared, no stream prefix in scope.
     */
    void encodeDocument(XmlElement element, ByteBuf out) {
        Scratch s = SCRATCH.get().start();
        element(s, element, "", false, false);
        s.copyTo(out);
    }

    /**
     * Writes {@code element} so that it reads the same outside any stream, as XMPP over WebSocket (RFC 7395 section
     * 3.3.3) sends every element in a message of its own: its namespace is declared on it, and an element in the
     * stream namespace is written as {@code <stream:error xmlns:stream='http://etherx.jabber.org/streams'>}, the
     * form the RFC's examples use.
     *
     * @param element the element, such as a stanza or {@code <stream:features/>}
     * @param alloc   allocates the returned buffer, of exactly the encoded size
     * @return a new buffer holding the bytes; the caller owns it
     * @throws IllegalArgumentException if a name is not an NCName or a character is not allowed in XML
     */
    public ByteBuf encodeStandalone(XmlElement element, ByteBufAllocator alloc) {
        Objects.requireNonNull(element, "element");
        boolean streamElement = element.namespace().equals(StreamError.STREAM_NAMESPACE);
        Scratch s = SCRATCH.get().start();
        element(s, element, "", streamElement, streamElement);
        return s.copyTo(alloc);
    }

    private static void element(Scratch s, XmlElement e, String inherited, boolean streamPrefixInScope,
                                boolean declareStreamPrefix) {
        String ns = e.namespace();
        String localName = e.localName();
        requireName(localName);
        boolean prefixed = streamPrefixInScope && ns.equals(StreamError.STREAM_NAMESPACE);
        s.ascii('<');
        if (prefixed) {
            s.bytes(STREAM_PREFIX);
        }
        s.name(localName);
        if (declareStreamPrefix) {
            s.bytes(STREAM_NAMESPACE_DECLARATION);
        }
        String scope = inherited;
        if (!prefixed && !ns.equals(inherited)) {
            if (ns.equals(XMLConstants.XML_NS_URI) || ns.equals(XMLConstants.XMLNS_ATTRIBUTE_NS_URI)) {
                throw new IllegalArgumentException("an element cannot be in the reserved namespace " + ns);
            }
            s.bytes(XMLNS);
            s.escaped(ns, ATTRIBUTE_ESCAPES);
            s.ascii('\'');
            scope = ns;
        }
        int attributes = e.attributeCount();
        if (attributes > 0) {
            attributes(s, e, attributes);
        }
        int n = e.nodeCount();
        if (n == 0) {
            s.bytes(EMPTY_END);
            return;
        }
        s.ascii('>');
        for (int i = 0; i < n; i++) {
            XmlNode node = e.node(i);
            if (node instanceof XmlElement child) {
                element(s, child, scope, streamPrefixInScope, false);
            } else {
                s.escaped(((XmlText) node).text(), TEXT_ESCAPES);
            }
        }
        s.bytes(END_TAG);
        if (prefixed) {
            s.bytes(STREAM_PREFIX);
        }
        s.name(localName);
        s.ascii('>');
    }

    private static void attributes(Scratch s, XmlElement e, int count) {
        // Namespaces of qualified attributes, declared on this element as ns0, ns1, ... in order of first use.
        String[] declared = null;
        int declaredCount = 0;
        for (int i = 0; i < count; i++) {
            String ns = e.attributeNamespace(i);
            String name = e.attributeLocalName(i);
            requireName(name);
            if (ns.isEmpty()) {
                if (name.equals("xmlns")) {
                    throw new IllegalArgumentException("'xmlns' is a namespace declaration, not an attribute");
                }
                s.ascii(' ');
            } else if (ns.equals(XMLConstants.XML_NS_URI)) {
                s.bytes(XML_PREFIX);
            } else {
                if (ns.equals(XMLConstants.XMLNS_ATTRIBUTE_NS_URI)) {
                    throw new IllegalArgumentException("namespace declarations are not attributes");
                }
                int index = -1;
                for (int j = 0; j < declaredCount; j++) {
                    if (declared[j].equals(ns)) {
                        index = j;
                        break;
                    }
                }
                if (index < 0) {
                    if (declared == null) {
                        declared = new String[count];
                    }
                    index = declaredCount;
                    declared[declaredCount++] = ns;
                    s.bytes(XMLNS_PREFIXED);
                    s.name(Integer.toString(index));
                    s.bytes(EQUALS_QUOTE);
                    s.escaped(ns, ATTRIBUTE_ESCAPES);
                    s.ascii('\'');
                }
                s.bytes(NS_PREFIX);
                s.name(Integer.toString(index));
                s.ascii(':');
            }
            s.name(name);
            s.bytes(EQUALS_QUOTE);
            s.escaped(e.attributeValue(i), ATTRIBUTE_ESCAPES);
            s.ascii('\'');
        }
    }

    private static void headerAttribute(Scratch s, String name, @Nullable String value) {
        if (value != null) {
            s.ascii(' ');
            s.name(name);
            s.bytes(EQUALS_QUOTE);
            s.escaped(value, ATTRIBUTE_ESCAPES);
            s.ascii('\'');
        }
    }

    private static void requireName(String name) {
        if (!XmlChars.isNcName(name)) {
            throw new IllegalArgumentException("not an XML name (NCName): '" + name + "'");
        }
    }

    private static IllegalArgumentException invalidChar(char c) {
        return new IllegalArgumentException(String.format(
                "U+%04X is not allowed in XML 1.0 (RFC 6120 section 11.1, XML 1.0 section 2.2)", (int) c));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A growable byte array that UTF-8 encodes and escapes in one pass. Not thread-safe: one per thread. */
    private static final class Scratch {

        /** Larger arrays, grown for one big element, are not kept, so that a thread holds little when idle. */
        private static final int KEEP_BYTES = 64 * 1024;

        private byte[] buf = new byte[4096];
        private int pos;

        Scratch start() {
            pos = 0;
            return this;
        }

        ByteBuf copyTo(ByteBufAllocator alloc) {
            ByteBuf out = alloc.buffer(pos);
            copyTo(out);
            return out;
        }

        void copyTo(ByteBuf out) {
            out.writeBytes(buf, 0, pos);
            if (buf.length > KEEP_BYTES) {
                buf = new byte[4096];
            }
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }

        void ascii(char c) {
            ensure(1);
            buf[pos++] = (byte) c;
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        /** A name already checked to be an NCName: no escaping, but possibly outside ASCII. */
        void name(String name) {
            escaped(name, TEXT_ESCAPES);
        }

        /** Writes {@code str} as UTF-8, escaping by {@code escapes} and refusing what XML does not allow. */
        void escaped(String str, byte[][] escapes) {
            int n = str.length();
            ensure(Math.multiplyExact(n, MAX_BYTES_PER_CHAR));
            byte[] b = buf;
            int p = pos;
            for (int i = 0; i < n; i++) {
                char c = str.charAt(i);
                if (c < 0x80) {
                    byte[] replacement = escapes[c];
                    if (replacement == null) {
                        b[p++] = (byte) c;
                    } else if (replacement == INVALID) {
                        throw invalidChar(c);
                    } else {
                        System.arraycopy(replacement, 0, b, p, replacement.length);
                        p += replacement.length;
                    }
                } else if (c < 0x800) {
                    b[p++] = (byte) (0xC0 | c >> 6);
                    b[p++] = (byte) (0x80 | c & 0x3F);
                } else if (c < 0xD800 || (c >= 0xE000 && c <= 0xFFFD)) {
                    b[p++] = (byte) (0xE0 | c >> 12);
                    b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                    b[p++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(str.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, str.charAt(++i));
                    b[p++] = (byte) (0xF0 | cp >> 18);
                    b[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    b[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    b[p++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    // An unpaired surrogate, U+FFFE or U+FFFF.
                    throw invalidChar(c);
                }
            }
            pos = p;
        }
    }
}
