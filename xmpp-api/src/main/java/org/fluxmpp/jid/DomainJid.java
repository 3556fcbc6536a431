package org.fluxmpp.jid;

/**
 * A JID that is only a domainpart, such as a server's address {@code example.com} (RFC 7622 section 3.2).
 *
 * <p>The domainpart is an IDNA2008 domain name held as U-labels in lower case without a final dot, an IPv4 address,
 * or an IPv6 address in brackets held in the canonical form of RFC 5952.
 *
 * <pre>{@code
 * DomainJid.of("EXAMPLE.com.");          // example.com
 * DomainJid.of("xn--fa-hia.de");         // faß.de
 * DomainJid.of("[2001:DB8:0:0:0:0:0:1]"); // [2001:db8::1]
 * Jid.parse("example.com").isDomainJid(); // true
 * }</pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3.2">RFC 7622 section 3.2</a>
 */
public final class DomainJid extends BareJid {

    /** The domainpart must already be prepared and enforced. */
    DomainJid(String domainpart) {
        super(null, domainpart);
    }

    /**
     * A domain JID, prepared and enforced (RFC 7622 section 3.2).
     *
     * @param domainpart a domain name (U-labels or A-labels, any case, with or without a final dot), an IPv4
     *                   address, or an IPv6 address in brackets
     * @return the JID in normalised form
     * @throws JidFormatException when the domainpart is empty, too long, not an IDNA2008 domain name (under UTS #46
     *                            with the STD3 rules) or not a valid IP address
     */
    public static DomainJid of(String domainpart) {
        return Jids.domain(domainpart);
    }

    /**
     * A domain JID is its own domain.
     *
     * @return this JID
     */
    @Override
    public DomainJid asDomainJid() {
        return this;
    }
}
