package org.fluxmpp.jid;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A JID with a resourcepart: {@code [localpart@]domainpart/resourcepart}, the address of one session. */
public final class FullJid implements Jid {

    private final BareJid bare;
    private final String resourcepart;

    FullJid(BareJid bare, String resourcepart) {
        this.bare = bare;
        this.resourcepart = resourcepart;
    }

    /**
     * Parses a full JID.
     *
     * @throws JidFormatException when the text is invalid or has no resourcepart
     */
    public static FullJid parse(CharSequence text) {
        Jid jid = Jid.parse(text);
        if (jid instanceof FullJid f) {
            return f;
        }
        throw new JidFormatException(JidFormatException.Part.RESOURCEPART, text.toString(),
                "a full JID needs a resourcepart");
    }

    /** Parses a full JID, or returns {@code null} when invalid or bare. */
    public static @Nullable FullJid parseOrNull(@Nullable CharSequence text) {
        return Jid.parseOrNull(text) instanceof FullJid f ? f : null;
    }

    @Override
    public @Nullable String localpart() {
        return bare.localpart();
    }

    @Override
    public String domainpart() {
        return bare.domainpart();
    }

    @Override
    public String resourcepart() {
        return resourcepart;
    }

    @Override
    public BareJid asBareJid() {
        return bare;
    }

    @Override
    public DomainJid asDomainJid() {
        return bare.asDomainJid();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof FullJid f && bare.equals(f.bare) && resourcepart.equals(f.resourcepart);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bare, resourcepart);
    }

    @Override
    public String toString() {
        return bare + "/" + resourcepart;
    }
}
