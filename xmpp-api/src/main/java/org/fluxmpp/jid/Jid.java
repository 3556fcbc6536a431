package org.fluxmpp.jid;

import org.jspecify.annotations.Nullable;

/**
 * An XMPP address (RFC 7622): {@code [localpart@]domainpart[/resourcepart]}, always held in normalised form.
 *
 * <p>The type lattice: every {@code Jid} is either a {@link BareJid} (no resourcepart; a {@link DomainJid} when it
 * also has no localpart) or a {@link FullJid} (with a resourcepart). {@link #parse} returns the most specific of
 * these. Equality and hash code are on the normalised form, so two JIDs that differ only in what preparation
 * removes (case in the localpart and domainpart, width, a final dot of the domainpart, A-labels against U-labels)
 * are equal. A bare JID is never equal to a full JID.
 *
 * <p>Each part is prepared and enforced as RFC 7622 section 3 says:
 * <ul>
 *   <li>the localpart (section 3.3) with the PRECIS UsernameCaseMapped profile of RFC 8265, and without any of the
 *       characters {@code "&'/:<>@};</li>
 *   <li>the domainpart (section 3.2) as an IDNA2008 domain name by UTS #46 non-transitional processing, held as
 *       U-labels in lower case without a final dot; or as an IPv4 address; or as an IPv6 address in brackets,
 *       held in the canonical form of RFC 5952;</li>
 *   <li>the resourcepart (section 3.4) with the PRECIS OpaqueString profile of RFC 8265, case and spaces kept,
 *       except that it must not begin with a space (section 3.5.2).</li>
 * </ul>
 * No part may be empty or longer than 1023 bytes in UTF-8 after preparation.
 *
 * <pre>{@code
 * Jid to = Jid.parse("Juliet@Example.COM/Balcony");
 * to.toString();              // "juliet@example.com/Balcony"
 * to.localpart();             // "juliet"
 * to.resourcepart();          // "Balcony" (case is kept)
 * to.asBareJid();             // juliet@example.com, a BareJid
 * to.asDomainJid();           // example.com, a DomainJid
 *
 * Jid.parse("xn--fa-hia.de"); // faß.de, a DomainJid (IDNA2008: not fass.de)
 * Jid.parseOrNull("juliet@"); // null: the domainpart is empty
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3">RFC 7622 section 3</a>
 */
public sealed interface Jid permits BareJid, FullJid {

    /**
     * Parses, prepares and enforces a JID (RFC 7622 section 3).
     *
     * <p>The first {@code /} starts the resourcepart, which may itself contain {@code @} and {@code /}; an {@code @}
     * before it ends the localpart (RFC 7622 section 3.1). Already normalised text, as peers nearly always send, is
     * answered from a small cache, so parsing the same address again is cheap.
     *
     * <pre>{@code
     * Jid.parse("example.com");                 // a DomainJid
     * Jid.parse("juliet@example.com");          // a BareJid
     * Jid.parse("juliet@example.com/foo@bar");  // a FullJid with resourcepart "foo@bar"
     * }</pre>
     *
     * @param text the address, such as the {@code to} attribute of a stanza
     * @return the JID in normalised form: a {@link DomainJid}, {@link BareJid} or {@link FullJid}
     * @throws JidFormatException when the text is empty or a part is invalid; the exception names the part and why
     */
    static Jid parse(CharSequence text) {
        return Jids.parse(text.toString());
    }

    /**
     * Parses a JID like {@link #parse}, or returns {@code null} when it is invalid.
     *
     * @param text the address, or {@code null}
     * @return the JID in normalised form, or {@code null} when {@code text} is {@code null} or not a valid JID
     */
    static @Nullable Jid parseOrNull(@Nullable CharSequence text) {
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (JidFormatException e) {
            return null;
        }
    }

    /**
     * The localpart in normalised form (RFC 7622 section 3.3).
     *
     * @return the localpart, or {@code null} when there is none
     */
    @Nullable String localpart();

    /**
     * The domainpart in normalised form (RFC 7622 section 3.2): U-labels in lower case without a final dot, an IPv4
     * address, or an IPv6 address in brackets.
     *
     * @return the domainpart, never empty
     */
    String domainpart();

    /**
     * The resourcepart in normalised form (RFC 7622 section 3.4).
     *
     * @return the resourcepart, or {@code null} when there is none
     */
    @Nullable String resourcepart();

    /**
     * This JID without its resourcepart.
     *
     * @return this JID when it is bare, else its bare part (a {@link DomainJid} when it has no localpart)
     */
    BareJid asBareJid();

    /**
     * This JID's domain: the address of the server or service that hosts it.
     *
     * @return a JID of only the domainpart
     */
    DomainJid asDomainJid();

    /**
     * Whether this JID has a resourcepart.
     *
     * @return {@code true} for a {@link FullJid}
     */
    default boolean isFullJid() {
        return this instanceof FullJid;
    }

    /**
     * Whether this JID has no resourcepart.
     *
     * @return {@code true} for a {@link BareJid}, including a {@link DomainJid}
     */
    default boolean isBareJid() {
        return this instanceof BareJid;
    }

    /**
     * Whether this JID is only a domainpart.
     *
     * @return {@code true} for a {@link DomainJid}
     */
    default boolean isDomainJid() {
        return this instanceof DomainJid;
    }

    /**
     * This JID as a full JID, when it is one.
     *
     * @return this JID, or {@code null} when it has no resourcepart
     */
    default @Nullable FullJid asFullJidOrNull() {
        return this instanceof FullJid f ? f : null;
    }

    /**
     * This JID as a full JID.
     *
     * @return this JID
     * @throws IllegalStateException when it has no resourcepart
     */
    default FullJid asFullJidOrThrow() {
        if (this instanceof FullJid f) {
            return f;
        }
        throw new IllegalStateException("not a full JID: " + this);
    }
}
