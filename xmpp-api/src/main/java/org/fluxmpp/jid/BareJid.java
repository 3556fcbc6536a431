package org.fluxmpp.jid;

import org.jspecify.annotations.Nullable;

/** A JID without a resourcepart: {@code localpart@domainpart}, or a {@link DomainJid}. */
public sealed class BareJid implements Jid permits DomainJid {

    private final @Nullable String localpart;
    private final String domainpart;

    BareJid(@Nullable String localpart, String domainpart) {
        this.localpart = localpart;
        this.domainpart = domainpart;
    }

    /**
     * Parses a bare JID.
     *
     * @throws JidFormatException when the text is not a valid JID or has a resourcepart
     */
    public static BareJid parse(CharSequence text) {
        Jid jid = Jid.parse(text);
        if (jid instanceof BareJid b) {
            return b;
        }
        throw new JidFormatException(JidFormatException.Part.RESOURCEPART, text.toString(),
                "a bare JID has no resourcepart");
    }

    /** Parses a bare JID, or returns {@code null} when invalid or full. */
    public static @Nullable BareJid parseOrNull(@Nullable CharSequence text) {
        return Jid.parseOrNull(text) instanceof BareJid b ? b : null;
    }

    /**
     * A bare JID from its parts, each prepared and checked.
     *
     * @throws JidFormatException when a part is invalid
     */
    public static BareJid of(@Nullable String localpart, String domainpart) {
        return Jids.bare(localpart, domainpart);
    }

    @Override
    public @Nullable String localpart() {
        return localpart;
    }

    @Override
    public String domainpart() {
        return domainpart;
    }

    @Override
    public @Nullable String resourcepart() {
        return null;
    }

    @Override
    public BareJid asBareJid() {
        return this;
    }

    @Override
    public DomainJid asDomainJid() {
        return Jids.domain(domainpart);
    }

    /**
     * This JID with a resourcepart.
     *
     * @throws JidFormatException when the resourcepart is invalid
     */
    public FullJid withResource(String resourcepart) {
        return Jids.full(this, resourcepart);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof BareJid b && !(o instanceof FullJid) && domainpart.equals(b.domainpart())
                && java.util.Objects.equals(localpart, b.localpart());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return localpart == null ? domainpart : localpart + '@' + domainpart;
    }
}
