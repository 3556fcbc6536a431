package org.fluxmpp.jid;

/** A JID that is only a domainpart, such as a server's address {@code example.com}. */
public final class DomainJid extends BareJid {

    DomainJid(String domainpart) {
        super(null, domainpart);
    }

    /**
     * A domain JID, prepared and checked.
     *
     * @throws JidFormatException when the domainpart is invalid
     */
    public static DomainJid of(String domainpart) {
        return Jids.domain(domainpart);
    }

    @Override
    public DomainJid asDomainJid() {
        return this;
    }
}
