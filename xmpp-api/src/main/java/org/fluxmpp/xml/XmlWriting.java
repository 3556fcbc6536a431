package org.fluxmpp.xml;

import javax.xml.XMLConstants;

/**
 * Writes an element as XML text for {@link XmlElement#toString()}: escaping and namespace elision. The text reads
 * back (with a namespace-aware parser) as an equal element: a carriage return, and tab and line feed in attribute
 * values, are written as character references because a parser would normalise them.
 */
final class XmlWriting {

    private XmlWriting() {
    }

    static void write(XmlElement e, String inheritedNamespace, StringBuilder out) {
        out.append('<').append(e.localName());
        if (!e.namespace().equals(inheritedNamespace)) {
            out.append(" xmlns='");
            escape(e.namespace(), true, out);
            out.append('\'');
        }
        int prefixes = 0;
        for (int i = 0; i < e.attributeCount(); i++) {
            String ns = e.attributeNamespace(i);
            out.append(' ');
            if (ns.equals(XMLConstants.XML_NS_URI)) {
                out.append("xml:");
            } else if (!ns.isEmpty()) {
                String prefix = "ns" + prefixes++;
                out.append("xmlns:").append(prefix).append("='");
                escape(ns, true, out);
                out.append("' ").append(prefix).append(':');
            }
            out.append(e.attributeLocalName(i)).append("='");
            escape(e.attributeValue(i), true, out);
            out.append('\'');
        }
        if (e.nodes().isEmpty()) {
            out.append("/>");
            return;
        }
        out.append('>');
        for (XmlNode n : e.nodes()) {
            if (n instanceof XmlElement child) {
                write(child, e.namespace(), out);
            } else {
                escape(((XmlText) n).text(), false, out);
            }
        }
        out.append("</").append(e.localName()).append('>');
    }

    static void escape(String s, boolean attribute, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\'' -> out.append(attribute ? "&apos;" : "'");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                // A parser normalises a raw CR (and, in attribute values, tab and LF) away; references survive.
                case '\r' -> out.append("&#xD;");
                case '\t' -> out.append(attribute ? "&#x9;" : "\t");
                case '\n' -> out.append(attribute ? "&#xA;" : "\n");
                default -> out.append(c);
            }
        }
    }
}
