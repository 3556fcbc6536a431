package org.fluxmpp.xml;

/**
 * A node of an {@link XmlElement}'s content: a child element or a run of character data.
 *
 * <p>XMPP content is nearly always element-only, but extension payloads such as XHTML-IM carry mixed content, and an
 * element that is "kept whole" must keep its text where it was.
 */
public sealed interface XmlNode permits XmlElement, XmlText {
}
