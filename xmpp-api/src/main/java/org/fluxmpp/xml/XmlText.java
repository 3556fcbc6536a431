package org.fluxmpp.xml;

import java.util.Objects;

/**
 * Character data inside an {@link XmlElement}, unescaped (the text as an application sees it).
 *
 * @param text the characters, never {@code null}; adjacent runs are merged by {@link XmlElement.Builder}
 */
public record XmlText(String text) implements XmlNode {

    /** Creates a text node; rejects {@code null}. */
    public XmlText {
        Objects.requireNonNull(text, "text");
    }
}
