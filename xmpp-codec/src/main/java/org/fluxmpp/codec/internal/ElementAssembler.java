package org.fluxmpp.codec.internal;

import java.util.Arrays;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.typed.TypedValueDecoder;
import org.codehaus.stax2.typed.TypedXMLStreamReader;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * Builds one {@link XmlElement} tree from a StAX reader's cursor, event by event, without an {@code XMLEvent} per
 * token; the same code serves the async stream decoder and the blocking reader of payload binding.
 *
 * <p>The caller moves the reader and hands each element start, element end and text event over. Element-level
 * limits are checked here, as the names and values are read. Not thread-safe.
 */
public final class ElementAssembler {

    /**
     * Empty elements ({@code <active/>}, {@code <ping/>}, {@code <required/>}) are common and immutable: one instance
     * per short name serves every stream. Racy updates are safe, as the element's fields are final.
     */
    private static final XmlElement[] EMPTY = new XmlElement[64];
    private static final int EMPTY_MAX_NAME_CHARS = 64;

    private final int maxDepth;
    private final int maxAttributes;
    private final int maxAttributeValueLength;
    private final int maxTextLength;
    private final boolean qualifyUnqualified;
    /** Shares repeating short attribute values and texts; {@code null} to create every string. */
    private final @Nullable StringCache strings;
    private final RawValue rawValue = new RawValue();

    /** Per open element: its name, and its builder once it has attributes or content (created lazily). */
    private String[] namespaces = new String[8];
    private String[] localNames = new String[8];
    private XmlElement.@Nullable Builder[] builders = new XmlElement.Builder[8];
    private int depth;

    /** Text of the current run when it came as one event (the common case: no copy through the builder). */
    private @Nullable String singleText;
    /** Text of the current run when it came in several events (split input, CDATA, entities). */
    private StringBuilder text = new StringBuilder();
    private int textLength;

    /**
     * @param maxDepth                the deepest nesting, the root being level 1
     * @param maxAttributes           the most attributes plus namespace declarations per element
     * @param maxAttributeValueLength the longest attribute value, in chars
     * @param maxTextLength           the longest run of text, in chars
     * @param qualifyUnqualified      whether an element in no namespace takes its parent's namespace, for trees
     *                                written by a serializer that leaves child elements unqualified
     * @param strings                 where short attribute values and texts are looked up before a new string is
     *                                made (one per stream), or {@code null}
     */
    public ElementAssembler(int maxDepth, int maxAttributes, int maxAttributeValueLength, int maxTextLength,
                            boolean qualifyUnqualified, @Nullable StringCache strings) {
        this.maxDepth = maxDepth;
        this.maxAttributes = maxAttributes;
        this.maxAttributeValueLength = maxAttributeValueLength;
        this.maxTextLength = maxTextLength;
        this.qualifyUnqualified = qualifyUnqualified;
        this.strings = strings;
    }

    /** The number of open elements: 0 between trees. */
    public int depth() {
        return depth;
    }

    /** Drops a tree in progress. */
    public void clear() {
        Arrays.fill(builders, 0, depth, null);
        Arrays.fill(namespaces, 0, depth, null);
        Arrays.fill(localNames, 0, depth, null);
        depth = 0;
        dropText();
    }

    /**
     * Opens an element at the reader's {@code START_ELEMENT}.
     *
     * @throws StreamErrorException {@code policy-violation} when the depth, attribute count or an attribute value
     *                              length is over its limit
     */
    public void start(XMLStreamReader r) throws XMLStreamException {
        if (depth >= maxDepth) {
            throw policy("element nesting deeper than " + maxDepth + " levels");
        }
        int attributes = r.getAttributeCount();
        if (attributes + r.getNamespaceCount() > maxAttributes) {
            throw policy("more than " + maxAttributes + " attributes and namespace declarations on <"
                    + r.getLocalName() + ">");
        }
        if (depth > 0) {
            flushText();
        }
        String ns = nonNull(r.getNamespaceURI());
        if (qualifyUnqualified && depth > 0 && ns.isEmpty()) {
            ns = namespaces[depth - 1];
        }
        String localName = r.getLocalName();
        XmlElement.Builder b = null;
        if (attributes > 0) {
            b = XmlElement.builder(ns, localName);
            for (int i = 0; i < attributes; i++) {
                b.attribute(nonNull(r.getAttributeNamespace(i)), r.getAttributeLocalName(i), attributeValue(r, i));
            }
        }
        if (depth == builders.length) {
            builders = Arrays.copyOf(builders, depth * 2);
            namespaces = Arrays.copyOf(namespaces, depth * 2);
            localNames = Arrays.copyOf(localNames, depth * 2);
        }
        builders[depth] = b;
        namespaces[depth] = ns;
        localNames[depth] = localName;
        depth++;
    }

    /**
     * Closes the innermost open element at the reader's {@code END_ELEMENT}.
     *
     * @return the finished tree when the root closed, otherwise {@code null} (the element became a child)
     */
    public @Nullable XmlElement end() {
        flushText();
        depth--;
        XmlElement.Builder b = builders[depth];
        XmlElement e = b != null ? b.build() : empty(namespaces[depth], localNames[depth]);
        builders[depth] = null;
        namespaces[depth] = null;
        localNames[depth] = null;
        if (depth == 0) {
            return e;
        }
        builder(depth - 1).child(e);
        return null;
    }

    /**
     * The value of attribute {@code index}, from the cache when possible. Aalto makes one string of all of an
     * element's values and cuts each value out of it; read through the typed-access callback instead, a value that
     * is already cached costs no allocation at all.
     */
    private String attributeValue(XMLStreamReader r, int index) throws XMLStreamException {
        if (strings != null && r instanceof TypedXMLStreamReader typed) {
            typed.getAttributeAs(index, rawValue);
            char[] chars = rawValue.chars;
            // Keep no reference to the parser's buffer: it must go when the parser does (compaction).
            rawValue.chars = null;
            if (chars != null) {
                int length = rawValue.end - rawValue.start;
                if (length > maxAttributeValueLength) {
                    throw tooLongValue();
                }
                return strings.get(chars, rawValue.start, length);
            }
        }
        String value = r.getAttributeValue(index);
        if (value.length() > maxAttributeValueLength) {
            throw tooLongValue();
        }
        return value;
    }

    private XmlElement.Builder builder(int level) {
        XmlElement.Builder b = builders[level];
        if (b == null) {
            b = XmlElement.builder(namespaces[level], localNames[level]);
            builders[level] = b;
        }
        return b;
    }

    private static XmlElement empty(String ns, String localName) {
        if (ns.length() + localName.length() > EMPTY_MAX_NAME_CHARS) {
            // Long names would keep long strings alive in a shared cache.
            return XmlElement.empty(ns, localName);
        }
        int slot = (localName.hashCode() * 31 + ns.hashCode()) & (EMPTY.length - 1);
        XmlElement e = EMPTY[slot];
        if (e == null || !e.localName().equals(localName) || !e.namespace().equals(ns)) {
            e = XmlElement.empty(ns, localName);
            EMPTY[slot] = e;
        }
        return e;
    }

    /**
     * Adds the text of the reader's {@code CHARACTERS}, {@code CDATA} or {@code SPACE} event to the current run;
     * the run becomes one text node when the next tag comes.
     *
     * @throws StreamErrorException {@code policy-violation} when the run grows over its limit
     */
    public void text(XMLStreamReader r) {
        int length = r.getTextLength();
        if (length == 0) {
            return;
        }
        textLength += length;
        if (textLength > maxTextLength) {
            throw policy("a text longer than " + maxTextLength + " chars");
        }
        if (textLength == length) {
            singleText = strings != null && length <= StringCache.MAX_CHARS
                    ? strings.get(r.getTextCharacters(), r.getTextStart(), length)
                    : r.getText();
            return;
        }
        if (singleText != null) {
            text.append(singleText);
            singleText = null;
        }
        text.append(r.getTextCharacters(), r.getTextStart(), length);
    }

    private void flushText() {
        if (textLength == 0) {
            return;
        }
        builder(depth - 1).text(singleText != null ? singleText : text.toString());
        dropText();
    }

    private void dropText() {
        singleText = null;
        textLength = 0;
        if (text.capacity() > 1024) {
            // Do not keep a large buffer alive on an idle stream.
            text = new StringBuilder();
        } else {
            text.setLength(0);
        }
    }

    private static String nonNull(@Nullable String s) {
        return s == null ? "" : s;
    }

    private StreamErrorException tooLongValue() {
        return policy("an attribute value longer than " + maxAttributeValueLength + " chars");
    }

    private static StreamErrorException policy(String text) {
        return new StreamErrorException(StreamError.Condition.POLICY_VIOLATION, text);
    }

    /**
     * Receives an attribute value as the parser holds it, without a string. The typed-access contract hands over
     * the value trimmed of leading and trailing white space; the value is taken only when it provably was not
     * trimmed: no char at or below U+0020 (Aalto's white space) right outside it in the buffer, where a trimmed
     * char would be. Otherwise, and for an empty value, {@link #chars} stays {@code null} and the caller asks for the
     * string.
     */
    private static final class RawValue extends TypedValueDecoder {
        char @Nullable [] chars;
        int start;
        int end;

        @Override
        public void decode(char[] buf, int from, int to) {
            boolean trimmed = (from > 0 && buf[from - 1] <= ' ') || (to < buf.length && buf[to] <= ' ');
            chars = trimmed ? null : buf;
            start = from;
            end = to;
        }

        @Override
        public void decode(String value) {
            chars = null;
        }

        @Override
        public void handleEmptyValue() {
            chars = null;
        }
    }
}
