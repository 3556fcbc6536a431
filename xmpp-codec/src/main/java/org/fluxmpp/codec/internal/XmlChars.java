package org.fluxmpp.codec.internal;

/**
 * The character and name rules of XML 1.0 (Fifth Edition), sections 2.2 and 2.3, and of Namespaces in XML 1.0
 * (NCName), for the encoder's checks.
 */
public final class XmlChars {

    private XmlChars() {
    }

    /**
     * Whether {@code name} is an NCName: an XML name without a colon, as local names and prefixes must be.
     *
     * @param name the candidate
     * @return {@code true} when it can be written as an element or attribute local name
     */
    public static boolean isNcName(String name) {
        int n = name.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c < 0x80) {
                // The common case: an ASCII name, checked by table.
                if ((ASCII[c] & (i == 0 ? START : PART)) == 0) {
                    return false;
                }
            } else {
                return isNcNameSlow(name, i);
            }
        }
        return true;
    }

    private static final byte START = 1;
    private static final byte PART = 2;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            if (c != ':' && isNameStartChar(c)) {
                ASCII[c] = START | PART;
            } else if (c != ':' && isNameChar(c)) {
                ASCII[c] = PART;
            }
        }
    }

    private static boolean isNcNameSlow(String name, int from) {
        for (int i = from, n = name.length(); i < n; ) {
            int c = name.codePointAt(i);
            boolean ok = i == 0 ? isNameStartChar(c) : isNameChar(c);
            if (!ok || c == ':' || (c < 0x10000 && Character.isSurrogate((char) c))) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** XML 1.0 production [4] NameStartChar. */
    static boolean isNameStartChar(int c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        }
        return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF)
                || (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D)
                || (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF)
                || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
    }

    /** XML 1.0 production [4a] NameChar. */
    static boolean isNameChar(int c) {
        if (c < 0x80) {
            return isNameStartChar(c) || c == '-' || c == '.' || (c >= '0' && c <= '9');
        }
        return isNameStartChar(c) || c == 0xB7 || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
    }
}
