package org.fluxmpp.xml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import org.jspecify.annotations.Nullable;

/**
 * An immutable XML element: a qualified name, attributes, and content (child elements and text).
 *
 * <p>Every element of an XMPP stream below the stream root is one of these: stanzas, stream features, SASL and TLS
 * negotiation elements, and extension payloads. Elements are kept whole: unknown children, attributes and text are
 * never dropped, so a stanza routed through the server carries every extension its sender put in it.
 *
 * <pre>{@code
 * XmlElement ping = XmlElement.builder("urn:xmpp:ping", "ping").build();
 * XmlElement body = XmlElement.builder("jabber:client", "body").text("Hello").build();
 * XmlElement msg = XmlElement.builder("jabber:client", "message")
 *     .attribute("to", "juliet@example.com").attribute("type", "chat").child(body).build();
 * String text = msg.childText(new QName("jabber:client", "body"));   // "Hello"
 * }</pre>
 *
 * <p>The namespace of an element is always explicit (an element in no namespace has the empty namespace); prefixes
 * are not part of an element's identity and are chosen by the encoder. Attributes keep their document order and are
 * compared as a set. Equality is structural; two elements built from the same XML are equal.
 */
public final class XmlElement implements XmlNode {

    private static final String[] NO_ATTRIBUTES = new String[0];
    private static final XmlNode[] NO_NODES = new XmlNode[0];

    private final String namespace;
    private final String localName;
    /** Triples (namespace, local name, value); namespace is "" for unqualified attributes. */
    private final String[] attributes;
    private final XmlNode[] nodes;
    private int hash;

    private XmlElement(String namespace, String localName, String[] attributes, XmlNode[] nodes) {
        this.namespace = namespace;
        this.localName = localName;
        this.attributes = attributes;
        this.nodes = nodes;
    }

    /**
     * Starts an element with the given namespace and local name.
     *
     * @param namespace the namespace URI, {@code ""} for none
     * @param localName the local name, not empty
     * @return a new builder
     * @throws IllegalArgumentException if the local name is empty
     */
    public static Builder builder(String namespace, String localName) {
        return new Builder(namespace, localName);
    }

    /** Starts an element with the given qualified name (its prefix is ignored). */
    public static Builder builder(QName name) {
        return new Builder(name.getNamespaceURI(), name.getLocalPart());
    }

    /** An empty element with the given namespace and local name, such as {@code <starttls xmlns='...'/>}. */
    public static XmlElement empty(String namespace, String localName) {
        return new Builder(namespace, localName).build();
    }

    /** Returns a builder initialised with this element's name, attributes and content. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The namespace URI, {@code ""} when the element is in no namespace. */
    public String namespace() {
        return namespace;
    }

    /** The local name. */
    public String localName() {
        return localName;
    }

    /** The qualified name (namespace and local name, no prefix). */
    public QName name() {
        return new QName(namespace, localName);
    }

    /** Whether this element has the given namespace and local name. */
    public boolean is(String namespace, String localName) {
        return this.localName.equals(localName) && this.namespace.equals(namespace);
    }

    /** Whether this element has the given qualified name. */
    public boolean is(QName name) {
        return is(name.getNamespaceURI(), name.getLocalPart());
    }

    // ---- attributes -------------------------------------------------------------------------------------------

    /** The number of attributes. */
    public int attributeCount() {
        return attributes.length / 3;
    }

    /** The qualified name of the attribute at {@code index} (0-based, document order). */
    public QName attributeName(int index) {
        return new QName(attributes[index * 3], attributes[index * 3 + 1]);
    }

    /** The namespace of the attribute at {@code index}, {@code ""} for an unqualified attribute. */
    public String attributeNamespace(int index) {
        return attributes[index * 3];
    }

    /** The local name of the attribute at {@code index}. */
    public String attributeLocalName(int index) {
        return attributes[index * 3 + 1];
    }

    /** The value of the attribute at {@code index}. */
    public String attributeValue(int index) {
        return attributes[index * 3 + 2];
    }

    /** The value of the unqualified attribute {@code localName}, or {@code null} when absent. */
    public @Nullable String attribute(String localName) {
        return attribute("", localName);
    }

    /** The value of the attribute with the given qualified name, or {@code null} when absent. */
    public @Nullable String attribute(QName name) {
        return attribute(name.getNamespaceURI(), name.getLocalPart());
    }

    /** The value of the attribute with the given namespace and local name, or {@code null} when absent. */
    public @Nullable String attribute(String namespace, String localName) {
        for (int i = 0; i < attributes.length; i += 3) {
            if (attributes[i + 1].equals(localName) && attributes[i].equals(namespace)) {
                return attributes[i + 2];
            }
        }
        return null;
    }

    /** The {@code xml:lang} attribute of this element (not inherited), or {@code null}. */
    public @Nullable String lang() {
        return attribute(XMLConstants.XML_NS_URI, "lang");
    }

    // ---- content ----------------------------------------------------------------------------------------------

    /** All content in document order: child elements and text runs. */
    public List<XmlNode> nodes() {
        return Collections.unmodifiableList(Arrays.asList(nodes));
    }

    /** The number of content nodes: child elements and text runs. */
    public int nodeCount() {
        return nodes.length;
    }

    /**
     * The content node at {@code index} (0-based, document order), without allocating a list.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not below {@link #nodeCount()}
     */
    public XmlNode node(int index) {
        return nodes[index];
    }

    /** The child elements in document order (text is skipped). */
    public List<XmlElement> children() {
        List<XmlElement> out = new ArrayList<>(nodes.length);
        for (XmlNode n : nodes) {
            if (n instanceof XmlElement e) {
                out.add(e);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The child elements with the given qualified name, in document order. */
    public List<XmlElement> children(QName name) {
        List<XmlElement> out = new ArrayList<>(2);
        for (XmlNode n : nodes) {
            if (n instanceof XmlElement e && e.is(name)) {
                out.add(e);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The first child element with the given qualified name, or {@code null}. */
    public @Nullable XmlElement child(QName name) {
        return child(name.getNamespaceURI(), name.getLocalPart());
    }

    /** The first child element with the given namespace and local name, or {@code null}. */
    public @Nullable XmlElement child(String namespace, String localName) {
        for (XmlNode n : nodes) {
            if (n instanceof XmlElement e && e.is(namespace, localName)) {
                return e;
            }
        }
        return null;
    }

    /** The first child element, or {@code null} when this element has none. */
    public @Nullable XmlElement firstChild() {
        for (XmlNode n : nodes) {
            if (n instanceof XmlElement e) {
                return e;
            }
        }
        return null;
    }

    /** The number of child elements (text is not counted). */
    public int childCount() {
        int c = 0;
        for (XmlNode n : nodes) {
            if (n instanceof XmlElement) {
                c++;
            }
        }
        return c;
    }

    /** The text directly inside this element (child elements' text is not included), {@code ""} when none. */
    public String text() {
        if (nodes.length == 1 && nodes[0] instanceof XmlText t) {
            return t.text();
        }
        StringBuilder sb = new StringBuilder();
        for (XmlNode n : nodes) {
            if (n instanceof XmlText t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** The text of the first child with the given name, or {@code null} when there is no such child. */
    public @Nullable String childText(QName name) {
        XmlElement c = child(name);
        return c == null ? null : c.text();
    }

    // ---- object -----------------------------------------------------------------------------------------------

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof XmlElement other)) {
            return false;
        }
        if (!localName.equals(other.localName) || !namespace.equals(other.namespace)
                || attributes.length != other.attributes.length || nodes.length != other.nodes.length) {
            return false;
        }
        for (int i = 0; i < attributes.length; i += 3) {
            if (!attributes[i + 2].equals(other.attribute(attributes[i], attributes[i + 1]))) {
                return false;
            }
        }
        return Arrays.equals(nodes, other.nodes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = namespace.hashCode() * 31 + localName.hashCode();
            int attrs = 0;
            for (int i = 0; i < attributes.length; i += 3) {
                // Order-independent, as equality is.
                attrs += Objects.hash(attributes[i], attributes[i + 1], attributes[i + 2]);
            }
            h = h * 31 + attrs;
            h = h * 31 + Arrays.hashCode(nodes);
            hash = h;
        }
        return h;
    }

    /**
     * The element as XML, with namespace declarations where the name requires them; meant for logs and tests. The
     * codec's encoder, not this method, writes elements to the wire.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        XmlWriting.write(this, "", sb);
        return sb.toString();
    }

    /**
     * A mutable builder of {@link XmlElement}; not thread-safe. Adjacent text is merged; empty text is dropped.
     */
    public static final class Builder {
        private final String namespace;
        private final String localName;
        // Plain arrays, handed to the built element without a copy when full; a later change copies them first
        // (copy-on-write), so building stays one allocation per array on the decoder's hot path.
        private String[] attributes = NO_ATTRIBUTES;
        private int attributeLength;
        private XmlNode[] nodes = NO_NODES;
        private int nodeLength;
        private boolean shared;

        private Builder(String namespace, String localName) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            this.localName = Objects.requireNonNull(localName, "localName");
            if (localName.isEmpty()) {
                throw new IllegalArgumentException("an element's local name must not be empty");
            }
        }

        private Builder(XmlElement from) {
            this(from.namespace, from.localName);
            attributes = from.attributes;
            attributeLength = from.attributes.length;
            nodes = from.nodes;
            nodeLength = from.nodes.length;
            shared = true;
        }

        private void own() {
            if (shared) {
                attributes = attributeLength == 0 ? NO_ATTRIBUTES : attributes.clone();
                nodes = nodeLength == 0 ? NO_NODES : nodes.clone();
                shared = false;
            }
        }

        /** Sets (or replaces) the unqualified attribute {@code localName}; a {@code null} value removes it. */
        public Builder attribute(String localName, @Nullable String value) {
            return attribute("", localName, value);
        }

        /** Sets (or replaces) the attribute with this qualified name; a {@code null} value removes it. */
        public Builder attribute(QName name, @Nullable String value) {
            return attribute(name.getNamespaceURI(), name.getLocalPart(), value);
        }

        /**
         * Sets (or replaces) the attribute with this namespace and local name; a {@code null} value removes it.
         *
         * @throws IllegalArgumentException if the local name is empty
         */
        public Builder attribute(String namespace, String localName, @Nullable String value) {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(localName, "localName");
            if (localName.isEmpty()) {
                throw new IllegalArgumentException("an attribute's local name must not be empty");
            }
            own();
            for (int i = 0; i < attributeLength; i += 3) {
                if (attributes[i + 1].equals(localName) && attributes[i].equals(namespace)) {
                    if (value == null) {
                        System.arraycopy(attributes, i + 3, attributes, i, attributeLength - i - 3);
                        attributeLength -= 3;
                        Arrays.fill(attributes, attributeLength, attributeLength + 3, null);
                    } else {
                        attributes[i + 2] = value;
                    }
                    return this;
                }
            }
            if (value != null) {
                if (attributeLength + 3 > attributes.length) {
                    attributes = Arrays.copyOf(attributes, Math.max(6, attributes.length * 2));
                }
                attributes[attributeLength++] = namespace;
                attributes[attributeLength++] = localName;
                attributes[attributeLength++] = value;
            }
            return this;
        }

        /** Sets the {@code xml:lang} attribute; {@code null} removes it. */
        public Builder lang(@Nullable String lang) {
            return attribute(XMLConstants.XML_NS_URI, "lang", lang);
        }

        private void add(XmlNode node) {
            own();
            if (nodeLength == nodes.length) {
                // Room for one node first: most elements hold a single text or child, and an exactly full array is
                // handed to the element by build() without a copy.
                nodes = Arrays.copyOf(nodes, Math.max(1, nodes.length * 2));
            }
            nodes[nodeLength++] = node;
        }

        /** Appends a child element. */
        public Builder child(XmlElement child) {
            add(Objects.requireNonNull(child, "child"));
            return this;
        }

        /** Appends child elements in order. */
        public Builder children(Iterable<XmlElement> children) {
            for (XmlElement c : children) {
                child(c);
            }
            return this;
        }

        /** Appends text; merged with text appended just before it. */
        public Builder text(String text) {
            Objects.requireNonNull(text, "text");
            if (text.isEmpty()) {
                return this;
            }
            if (nodeLength > 0 && nodes[nodeLength - 1] instanceof XmlText t) {
                own();
                nodes[nodeLength - 1] = new XmlText(t.text() + text);
            } else {
                add(new XmlText(text));
            }
            return this;
        }

        /** Appends a node (an element or text). */
        public Builder node(XmlNode node) {
            return node instanceof XmlText t ? text(t.text()) : child((XmlElement) node);
        }

        /** Removes all content (children and text), keeping name and attributes. */
        public Builder clearContent() {
            own();
            Arrays.fill(nodes, 0, nodeLength, null);
            nodeLength = 0;
            return this;
        }

        /** Removes every child element with the given qualified name; the text runs around it are merged. */
        public Builder removeChildren(QName name) {
            own();
            int kept = 0;
            for (int i = 0; i < nodeLength; i++) {
                XmlNode n = nodes[i];
                if (n instanceof XmlElement e && e.is(name)) {
                    continue;
                }
                // Adjacent text runs left behind by the removal are merged, as the builder never holds two.
                if (n instanceof XmlText t && kept > 0 && nodes[kept - 1] instanceof XmlText before) {
                    nodes[kept - 1] = new XmlText(before.text() + t.text());
                } else {
                    nodes[kept++] = n;
                }
            }
            Arrays.fill(nodes, kept, nodeLength, null);
            nodeLength = kept;
            return this;
        }

        /** Builds the immutable element; the builder may be reused. */
        public XmlElement build() {
            String[] a = attributeLength == 0 ? NO_ATTRIBUTES
                    : attributeLength == attributes.length ? attributes : Arrays.copyOf(attributes, attributeLength);
            XmlNode[] n = nodeLength == 0 ? NO_NODES
                    : nodeLength == nodes.length ? nodes : Arrays.copyOf(nodes, nodeLength);
            shared = true;
            return new XmlElement(namespace, localName, a, n);
        }
    }
}
