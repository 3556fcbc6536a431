package org.fluxmpp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import org.fluxmpp.codec.internal.XmlChars;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.xml.XmlElement;
import org.fluxmpp.xml.XmlNode;
import org.fluxmpp.xml.XmlText;
import org.jspecify.annotations.Nullable;

/**
 * Writes an XML stream (RFC 6120 section 4) as UTF-8 straight into Netty buffers: the stream header, elements and
 * the stream close. Stateless and thread-safe; one instance can serve every connection.
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
 * <p>Errors: a name that is not an XML NCName, or a character that XML 1.0 does not allow (control characters other
 * than tab, line feed and carriage return, U+FFFE, U+FFFF, unpaired surrogates; RFC 6120 section 11.1 and XML 1.0
 * section 2.2) is refused with an {@link IllegalArgumentException}, and the partly written buffer is released.
 * Nothing invalid is ever sent.
 */
public final class XmppStreamEncoder {

    private static final int INITIAL_CAPACITY = 256;

    private static final byte[] STREAM_OPEN = ascii("<?xml version='1.0'?><stream:stream");
    private static final byte[] STREAM_NAMESPACE_DECLARATION =
            ascii(" xmlns:stream='" + StreamError.STREAM_NAMESPACE + "'");
    private static final byte[] STREAM_CLOSE = ascii("</stream:stream>");
    private static final byte[] STREAM_PREFIX = ascii(StreamHeader.STREAM_PREFIX + ":");
    private static final byte[] XMLNS = ascii(" xmlns='");
    private static final byte[] XMLNS_PREFIXED = ascii(" xmlns:ns");
    private static final byte[] XML_PREFIX = ascii("xml:");
    private static final byte[] NS_PREFIX = ascii("ns");
    private static final byte[] EQUALS_QUOTE = ascii("='");
    private static final byte[] EMPTY_END = ascii("/>");
    private static final byte[] END_TAG = ascii("</");

    /** Marks a character that must not be written at all. */
    private static final byte[] INVALID = new byte[0];
    /** Replacement bytes per ASCII character in text; {@code null} where the character is written as is. */
    private static final byte[][] TEXT_ESCAPES = new byte[128][];
    /** The same for attribute values delimited by {@code '}. */
    private static final byte[][] ATTRIBUTE_ESCAPES = new byte[128][];

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
        ByteBuf out = alloc.buffer(INITIAL_CAPACITY);
        try {
            out.writeBytes(STREAM_OPEN);
            if (header.contentNamespace() != null) {
                out.writeBytes(XMLNS);
                escape(out, header.contentNamespace(), ATTRIBUTE_ESCAPES);
                out.writeByte('\'');
            }
            out.writeBytes(STREAM_NAMESPACE_DECLARATION);
            headerAttribute(out, "id", header.id());
            headerAttribute(out, "from", header.from());
            headerAttribute(out, "to", header.to());
            headerAttribute(out, "version", header.version());
            headerAttribute(out, "xml:lang", header.lang());
            out.writeByte('>');
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Writes one first-level element of a stream whose content namespace is {@code contentNamespace}.
     *
     * @param element          the element, such as a stanza or {@code <stream:features/>}
     * @param contentNamespace the default namespace the stream header declared (such as {@code jabber:client}),
     *                         {@code ""} for none; elements in it are written without {@code xmlns}
     * @param alloc            allocates the returned buffer
     * @return a new buffer holding the bytes; the caller owns it
     * @throws IllegalArgumentException if a name is not an NCName or a character is not allowed in XML
     */
    public ByteBuf encode(XmlElement element, String contentNamespace, ByteBufAllocator alloc) {
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(contentNamespace, "contentNamespace");
        ByteBuf out = alloc.buffer(INITIAL_CAPACITY);
        try {
            element(out, element, contentNamespace, true);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Appends one first-level element to {@code out}, for writing several elements into one buffer.
     *
     * @param element          the element
     * @param contentNamespace the stream's content namespace, {@code ""} for none
     * @param out              receives the bytes at its writer index
     * @throws IllegalArgumentException if a name is not an NCName or a character is not allowed in XML; the writer
     *                                  index of {@code out} is then back where it was
     */
    public void encode(XmlElement element, String contentNamespace, ByteBuf out) {
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(contentNamespace, "contentNamespace");
        int start = out.writerIndex();
        try {
            element(out, element, contentNamespace, true);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
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
        element(out, element, "", false);
    }

    private static void element(ByteBuf out, XmlElement e, String inherited, boolean streamPrefixInScope) {
        String ns = e.namespace();
        String localName = e.localName();
        requireName(localName);
        boolean prefixed = streamPrefixInScope && ns.equals(StreamError.STREAM_NAMESPACE);
        out.writeByte('<');
        if (prefixed) {
            out.writeBytes(STREAM_PREFIX);
        }
        ByteBufUtil.writeUtf8(out, localName);
        String scope = inherited;
        if (!prefixed && !ns.equals(inherited)) {
            if (ns.equals(XMLConstants.XML_NS_URI) || ns.equals(XMLConstants.XMLNS_ATTRIBUTE_NS_URI)) {
                throw new IllegalArgumentException("an element cannot be in the reserved namespace " + ns);
            }
            out.writeBytes(XMLNS);
            escape(out, ns, ATTRIBUTE_ESCAPES);
            out.writeByte('\'');
            scope = ns;
        }
        int attributes = e.attributeCount();
        if (attributes > 0) {
            attributes(out, e, attributes);
        }
        List<XmlNode> nodes = e.nodes();
        int n = nodes.size();
        if (n == 0) {
            out.writeBytes(EMPTY_END);
            return;
        }
        out.writeByte('>');
        for (int i = 0; i < n; i++) {
            XmlNode node = nodes.get(i);
            if (node instanceof XmlElement child) {
                element(out, child, scope, streamPrefixInScope);
            } else {
                escape(out, ((XmlText) node).text(), TEXT_ESCAPES);
            }
        }
        out.writeBytes(END_TAG);
        if (prefixed) {
            out.writeBytes(STREAM_PREFIX);
        }
        ByteBufUtil.writeUtf8(out, localName);
        out.writeByte('>');
    }

    private static void attributes(ByteBuf out, XmlElement e, int count) {
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
                out.writeByte(' ');
            } else if (ns.equals(XMLConstants.XML_NS_URI)) {
                out.writeByte(' ');
                out.writeBytes(XML_PREFIX);
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
                    out.writeBytes(XMLNS_PREFIXED);
                    ByteBufUtil.writeAscii(out, Integer.toString(index));
                    out.writeBytes(EQUALS_QUOTE);
                    escape(out, ns, ATTRIBUTE_ESCAPES);
                    out.writeByte('\'');
                }
                out.writeByte(' ');
                out.writeBytes(NS_PREFIX);
                ByteBufUtil.writeAscii(out, Integer.toString(index));
                out.writeByte(':');
            }
            ByteBufUtil.writeUtf8(out, name);
            out.writeBytes(EQUALS_QUOTE);
            escape(out, e.attributeValue(i), ATTRIBUTE_ESCAPES);
            out.writeByte('\'');
        }
    }

    private static void headerAttribute(ByteBuf out, String name, @Nullable String value) {
        if (value != null) {
            out.writeByte(' ');
            ByteBufUtil.writeAscii(out, name);
            out.writeBytes(EQUALS_QUOTE);
            escape(out, value, ATTRIBUTE_ESCAPES);
            out.writeByte('\'');
        }
    }

    /** Writes {@code s} as UTF-8, escaping by {@code escapes}; runs needing no escape are written in one call. */
    private static void escape(ByteBuf out, String s, byte[][] escapes) {
        int run = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte[] replacement = escapes[c];
                if (replacement == null) {
                    continue;
                }
                if (replacement == INVALID) {
                    throw invalidChar(c);
                }
                if (i > run) {
                    ByteBufUtil.writeUtf8(out, s, run, i);
                }
                out.writeBytes(replacement);
                run = i + 1;
            } else if (c >= 0xD800) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (c < 0xE000 || c > 0xFFFD) {
                    throw invalidChar(c);
                }
            }
        }
        if (n > run) {
            ByteBufUtil.writeUtf8(out, s, run, n);
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
}
