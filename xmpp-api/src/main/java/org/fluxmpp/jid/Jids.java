package org.fluxmpp.jid;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Parsing and preparation of JID parts (RFC 7622). Placeholder preparation: lower-casing only. */
final class Jids {

    private Jids() {
    }

    static Jid parse(String text) {
        int slash = text.indexOf('/');
        String beforeSlash = slash < 0 ? text : text.substring(0, slash);
        int at = beforeSlash.indexOf('@');
        String local = at < 0 ? null : beforeSlash.substring(0, at);
        String domain = at < 0 ? beforeSlash : beforeSlash.substring(at + 1);
        BareJid bare = bare(local, domain);
        return slash < 0 ? bare : full(bare, text.substring(slash + 1));
    }

    static BareJid bare(@Nullable String localpart, String domainpart) {
        if (localpart == null) {
            return domain(domainpart);
        }
        if (localpart.isEmpty()) {
            throw new JidFormatException(JidFormatException.Part.LOCALPART, localpart, "empty");
        }
        return new BareJid(localpart.toLowerCase(Locale.ROOT), domain(domainpart).domainpart());
    }

    static DomainJid domain(String domainpart) {
        if (domainpart.isEmpty()) {
            throw new JidFormatException(JidFormatException.Part.DOMAINPART, domainpart, "empty");
        }
        return new DomainJid(domainpart.toLowerCase(Locale.ROOT));
    }

    static FullJid full(BareJid bare, String resourcepart) {
        if (resourcepart.isEmpty()) {
            throw new JidFormatException(JidFormatException.Part.RESOURCEPART, resourcepart, "empty");
        }
        return new FullJid(bare, resourcepart);
    }
}
