package org.fluxmpp.xml;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Test support: parses XML text with the JDK's namespace-aware parser (which rejects any text that is not well-formed)
 * and turns the document element into an {@link XmlElement}, so that {@code toString()} output can be checked by
 * reading it back.
 */
public final class XmlParsing {

    private XmlParsing() {
    }

    /**
     * Parses a well-formed XML document into an element.
     *
     * @throws IllegalArgumentException if the text is not well-formed namespace-aware XML
     */
    public static XmlElement parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setCoalescing(true);
            f.setExpandEntityReferences(true);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            return convert(builder.parse(new InputSource(new StringReader(xml))).getDocumentElement());
        } catch (Exception e) {
            throw new IllegalArgumentException("not well-formed: " + xml, e);
        }
    }

    private static XmlElement convert(Element e) {
        XmlElement.Builder b = XmlElement.builder(e.getNamespaceURI() == null ? "" : e.getNamespaceURI(),
                e.getLocalName());
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            String ns = a.getNamespaceURI() == null ? "" : a.getNamespaceURI();
            if (ns.equals(XMLConstants.XMLNS_ATTRIBUTE_NS_URI)) {
                continue;
            }
            b.attribute(ns, a.getLocalName(), a.getValue());
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                b.child(convert(c));
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                b.text(n.getNodeValue());
            }
        }
        return b.build();
    }
}
