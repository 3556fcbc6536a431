package org.fluxmpp.jid;

import org.jspecify.annotations.Nullable;

/**
 * An XMPP address (RFC 7622): {@code [localpart@]domainpart[/resourcepart]}, always held in normalised form.
 *
 * <p>The type lattice: every {@code Jid} is either a {@link BareJid} (no resourcepart; a {@link DomainJid} when it
 * also has no localpart) or a {@link FullJid} (with a resourcepart). Equality is on the normalised form.
 */
public sealed interface Jid permits BareJid, FullJid {

    /**
     * Parses and normalises a JID.
     *
     * @throws JidFormatException when a part is invalid; the exception names the part and why
     */
    static Jid parse(CharSequence text) {
        return Jids.parse(text.toString());
    }

    /** Parses a JID, or returns {@code null} when it is invalid. */
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

    /** The localpart, or {@code null} when there is none. */
    @Nullable String localpart();

    /** The domainpart. */
    String domainpart();

    /** The resourcepart, or {@code null} when there is none. */
    @Nullable String resourcepart();

    /** This JID without its resourcepart. */
    BareJid asBareJid();

    /** This JID's domain. */
    DomainJid asDomainJid();

    /** Whether this JID has a resourcepart. */
    default boolean isFullJid() {
        return this instanceof FullJid;
    }

    /** Whether this JID has no resourcepart. */
    default boolean isBareJid() {
        return this instanceof BareJid;
    }

    /** Whether this JID is only a domainpart. */
    default boolean isDomainJid() {
        return this instanceof DomainJid;
    }

    /** This JID as a full JID, or {@code null} when it has no resourcepart. */
    default @Nullable FullJid asFullJidOrNull() {
        return this instanceof FullJid f ? f : null;
    }

    /**
     * This JID as a full JID.
     *
     * @throws IllegalStateException when it has no resourcepart
     */
    default FullJid asFullJidOrThrow() {
        if (this instanceof FullJid f) {
            return f;
        }
        throw new IllegalStateException("not a full JID: " + this);
    }
}
