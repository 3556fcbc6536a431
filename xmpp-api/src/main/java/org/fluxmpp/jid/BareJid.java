package org.fluxmpp.jid;

import org.jspecify.annotations.Nullable;

/**
 * A JID without a resourcepart: {@code localpart@domainpart}, or a {@link DomainJid} when there is no localpart.
 *
 * <p>A bare JID names an account or, as a {@link DomainJid}, a server or service. Parts are
 * prepared as described in {@link Jid}; equality and hash code are on the normalised form, and a {@code BareJid}
 * without localpart is always a {@link DomainJid}, so {@code BareJid.parse("example.com")} equals
 * {@code DomainJid.of("example.com")}.
 *
 * <pre>{@code
 * BareJid romeo = BareJid.parse("Romeo@Example.NET");   // romeo@example.net
 * BareJid same = BareJid.of("ROMEO", "example.net.");   // equal to romeo
 * FullJid session = romeo.withResource("orchard");      // romeo@example.net/orchard
 * BareJid.parseOrNull("romeo@example.net/orchard");     // null: that is a full JID
 * }</pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3">RFC 7622 section 3</a>
 */
public sealed class BareJid implements Jid permits DomainJid {

    private final @Nullable String localpart;
    private final String domainpart;
    /** Precomputed because it is both the equality key and the key of the parse cache. */
    private final String string;

    /** Parts must already be prepared and enforced; a {@code null} localpart is only for {@link DomainJid}. */
    BareJid(@Nullable String localpart, String domainpart) {
        this.localpart = localpart;
        this.domainpart = domainpart;
        this.string = localpart == null ? domainpart : localpart + '@' + domainpart;
    }

    /**
     * Parses a bare JID (RFC 7622 section 3), as {@link Jid#parse} does.
     *
     * @param text the address, such as {@code juliet@example.com} or {@code example.com}
     * @return the JID in normalised form; a {@link DomainJid} when it has no localpart
     * @throws JidFormatException when the text is not a valid JID, or has a resourcepart (then
     *                            {@link JidFormatException#part()} is {@code RESOURCEPART})
     */
    public static BareJid parse(CharSequence text) {
        Jid jid = Jid.parse(text);
        if (jid instanceof BareJid b) {
            return b;
        }
        throw new JidFormatException(JidFormatException.Part.RESOURCEPART, text.toString(),
                "a bare JID has no resourcepart");
    }

    /**
     * Parses a bare JID, or returns {@code null} when the text is invalid or a full JID.
     *
     * @param text the address, or {@code null}
     * @return the JID in normalised form, or {@code null}
     */
    public static @Nullable BareJid parseOrNull(@Nullable CharSequence text) {
        return Jid.parseOrNull(text) instanceof BareJid b ? b : null;
    }

    /**
     * A bare JID from its parts, each prepared and enforced (RFC 7622 sections 3.2 and 3.3).
     *
     * <p>Unlike in {@link #parse}, the parts are not split, so a localpart containing {@code @} is refused rather than
     * read as a different address.
     *
     * @param localpart  the localpart, or {@code null} for a {@link DomainJid}
     * @param domainpart the domainpart
     * @return the JID in normalised form; a {@link DomainJid} when {@code localpart} is {@code null}
     * @throws JidFormatException when a part is empty, too long or otherwise invalid
     */
    public static BareJid of(@Nullable String localpart, String domainpart) {
        return Jids.bare(localpart, domainpart);
    }

    /**
     * {@inheritDoc}
     *
     * @return the localpart, or {@code null} for a {@link DomainJid}
     */
    @Override
    public @Nullable String localpart() {
        return localpart;
    }

    /**
     * {@inheritDoc}
     *
     * @return the domainpart, never empty
     */
    @Override
    public String domainpart() {
        return domainpart;
    }

    /**
     * A bare JID has no resourcepart.
     *
     * @return always {@code null}
     */
    @Override
    public @Nullable String resourcepart() {
        return null;
    }

    /**
     * A bare JID is its own bare JID.
     *
     * @return this JID
     */
    @Override
    public BareJid asBareJid() {
        return this;
    }

    /**
     * {@inheritDoc}
     *
     * @return a JID of only the domainpart
     */
    @Override
    public DomainJid asDomainJid() {
        return new DomainJid(domainpart);
    }

    /**
     * This JID with a resourcepart, prepared and enforced (RFC 7622 section 3.4).
     *
     * @param resourcepart the resourcepart; may contain {@code @} and {@code /}
     * @return the full JID
     * @throws JidFormatException when the resourcepart is empty, begins with a space, is too long or otherwise invalid
     */
    public FullJid withResource(String resourcepart) {
        return Jids.full(this, resourcepart);
    }

    /**
     * Whether {@code o} is a bare JID with the same normalised parts.
     *
     * @param o the object to compare with
     * @return {@code true} when {@code o} is a {@code BareJid} (including a {@link DomainJid}) of the same address
     */
    @Override
    public boolean equals(@Nullable Object o) {
        return o == this || o instanceof BareJid b && string.equals(b.string);
    }

    /**
     * A hash code of the normalised form, consistent with {@link #equals}.
     *
     * @return the hash code of {@link #toString()}
     */
    @Override
    public int hashCode() {
        return string.hashCode();
    }

    /**
     * The normalised form, which {@link Jid#parse} reads back to an equal JID.
     *
     * @return {@code localpart@domainpart}, or {@code domainpart}
     */
    @Override
    public String toString() {
        return string;
    }
}
