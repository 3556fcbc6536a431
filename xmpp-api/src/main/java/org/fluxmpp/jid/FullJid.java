package org.fluxmpp.jid;

import org.jspecify.annotations.Nullable;

/**
 * A JID with a resourcepart: {@code [localpart@]domainpart/resourcepart}, the address of one session or resource.
 *
 * <p>The resourcepart is prepared with the PRECIS OpaqueString profile (RFC 7622 section 3.4): its case and inner
 * spaces are kept, and it may contain {@code @} and {@code /}. Equality and hash code are on the normalised form;
 * a full JID is never equal to a bare JID.
 *
 * <pre>{@code
 * FullJid juliet = FullJid.parse("Juliet@Example.com/Balcony"); // juliet@example.com/Balcony
 * FullJid.of("juliet", "example.com", "Balcony");             // equal to juliet
 * juliet.asBareJid();                                           // juliet@example.com
 * FullJid.parseOrNull("juliet@example.com");                    // null: no resourcepart
 * }</pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3.4">RFC 7622 section 3.4</a>
 */
public final class FullJid implements Jid {

    private final BareJid bare;
    private final String resourcepart;
    /** Precomputed because it is both the equality key and the key of the parse cache. */
    private final String string;

    /** The resourcepart must already be prepared and enforced. */
    FullJid(BareJid bare, String resourcepart) {
        this.bare = bare;
        this.resourcepart = resourcepart;
        this.string = bare + "/" + resourcepart;
    }

    /**
     * Parses a full JID (RFC 7622 section 3), as {@link Jid#parse} does.
     *
     * @param text the address, such as {@code juliet@example.com/balcony}
     * @return the JID in normalised form
     * @throws JidFormatException when the text is not a valid JID, or has no resourcepart (then
     *                            {@link JidFormatException#part()} is {@code RESOURCEPART})
     */
    public static FullJid parse(CharSequence text) {
        Jid jid = Jid.parse(text);
        if (jid instanceof FullJid f) {
            return f;
        }
        throw new JidFormatException(JidFormatException.Part.RESOURCEPART, text.toString(),
                "a full JID needs a resourcepart");
    }

    /**
     * Parses a full JID, or returns {@code null} when the text is invalid or a bare JID.
     *
     * @param text the address, or {@code null}
     * @return the JID in normalised form, or {@code null}
     */
    public static @Nullable FullJid parseOrNull(@Nullable CharSequence text) {
        return Jid.parseOrNull(text) instanceof FullJid f ? f : null;
    }

    /**
     * A full JID from its parts, each prepared and enforced (RFC 7622 sections 3.2, 3.3 and 3.4).
     *
     * <p>Unlike in {@link #parse}, the parts are not split, so a localpart containing {@code @} or a domainpart
     * containing {@code /} is refused rather than read as a different address.
     *
     * @param localpart    the localpart, or {@code null} for a JID such as {@code example.com/foo}
     * @param domainpart   the domainpart
     * @param resourcepart the resourcepart; may contain {@code @} and {@code /}
     * @return the JID in normalised form
     * @throws JidFormatException when a part is empty, too long or otherwise invalid
     */
    public static FullJid of(@Nullable String localpart, String domainpart, String resourcepart) {
        return BareJid.of(localpart, domainpart).withResource(resourcepart);
    }

    /**
     * {@inheritDoc}
     *
     * @return the localpart, or {@code null} when there is none
     */
    @Override
    public @Nullable String localpart() {
        return bare.localpart();
    }

    /**
     * {@inheritDoc}
     *
     * @return the domainpart, never empty
     */
    @Override
    public String domainpart() {
        return bare.domainpart();
    }

    /**
     * {@inheritDoc}
     *
     * @return the resourcepart, never {@code null} or empty
     */
    @Override
    public String resourcepart() {
        return resourcepart;
    }

    /**
     * {@inheritDoc}
     *
     * @return the bare part, a {@link DomainJid} when there is no localpart
     */
    @Override
    public BareJid asBareJid() {
        return bare;
    }

    /**
     * {@inheritDoc}
     *
     * @return a JID of only the domainpart
     */
    @Override
    public DomainJid asDomainJid() {
        return bare.asDomainJid();
    }

    /**
     * Whether {@code o} is a full JID with the same normalised parts.
     *
     * @param o the object to compare with
     * @return {@code true} when {@code o} is a {@code FullJid} of the same address
     */
    @Override
    public boolean equals(@Nullable Object o) {
        return o == this || o instanceof FullJid f && string.equals(f.string);
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
     * @return {@code [localpart@]domainpart/resourcepart}
     */
    @Override
    public String toString() {
        return string;
    }
}
