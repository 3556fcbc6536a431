package org.fluxmpp.jid;

import com.ibm.icu.text.IDNA;
import java.util.Arrays;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.fluxmpp.jid.JidFormatException.Part;
import org.jspecify.annotations.Nullable;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * Splitting, preparation and enforcement of JID parts (RFC 7622 section 3), and the cache behind {@link Jid#parse}.
 *
 * <p>Localparts go through the PRECIS UsernameCaseMapped profile, resourceparts through OpaqueString (both RFC 8265,
 * as RFC 7622 sections 3.3 and 3.4 require), domainparts through UTS #46 non-transitional processing, which is
 * IDNA2008 (RFC 7622 section 3.2) where {@code java.net.IDN} would still apply IDNA2003.
 */
final class Jids {

    /** RFC 7622 sections 3.2, 3.3 and 3.4: the limit of each part, counted in UTF-8 after preparation. */
    static final int MAX_PART_BYTES = 1023;

    /** RFC 7622 section 3.3.1 keeps these out of localparts although UsernameCaseMapped allows them. */
    private static final String LOCALPART_FORBIDDEN = "\"&'/:<>@";

    /*
     * Non-transitional so that deviation characters (ß, ς, ZWJ, ZWNJ) stay as they are, as IDNA2008 says, instead of
     * being mapped away as IDNA2003 did (faß.de must not turn into fass.de, a different domain). The STD3 rules keep
     * out space, '@', '/' and the other ASCII characters that cannot be in a host name. The ICU instance is
     * immutable and thread-safe.
     */
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_UNICODE
            | IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO
            | IDNA.USE_STD3_RULES);

    /*
     * A direct-mapped cache: one slot per hash bucket, a newer entry simply replaces an older one, so it never grows
     * and needs no lock or eviction. Only input that is already in normalised form is cached; that is what servers
     * and clients send nearly always, and it lets the cached Jid be its own key: a hit is one string comparison
     * against its precomputed toString(). Jids are immutable, so sharing them between threads is safe.
     * 16,384 slots (64 KiB of references, plus the JIDs they hold): a server routes to every bound session's JID, and
     * the routing benchmark showed a 1,024-slot cache missing nearly always at 10,000 sessions.
     */
    private static final int CACHE_SLOTS = 1 << 14;
    private static final AtomicReferenceArray<Jid> CACHE = new AtomicReferenceArray<>(CACHE_SLOTS);

    private Jids() {
    }

    static Jid parse(String text) {
        int slot = cacheSlot(text);
        Jid cached = CACHE.getAcquire(slot);
        if (cached != null && cached.toString().equals(text)) {
            return cached;
        }
        Jid jid = parseUncached(text);
        if (jid.toString().equals(text)) {
            CACHE.setRelease(slot, jid);
        }
        return jid;
    }

    private static int cacheSlot(String text) {
        int h = text.hashCode();
        return (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
    }

    private static Jid parseUncached(String text) {
        if (text.isEmpty()) {
            throw new JidFormatException(Part.JID, text, "empty");
        }
        if (text.isBlank()) {
            throw new JidFormatException(Part.JID, text, "only whitespace");
        }
        // RFC 7622 section 3.1: the first '/' starts the resourcepart, which may itself contain '@' and '/'; the
        // first '@' before it ends the localpart.
        int slash = text.indexOf('/');
        int domainEnd = slash < 0 ? text.length() : slash;
        int at = text.indexOf('@');
        if (at > domainEnd) {
            at = -1;
        }
        String localpart = at < 0 ? null : localpart(text.substring(0, at), text);
        String domainpart = domainpart(text.substring(at + 1, domainEnd), text);
        BareJid bare = localpart == null ? new DomainJid(domainpart) : new BareJid(localpart, domainpart);
        return slash < 0 ? bare : new FullJid(bare, resourcepart(text.substring(slash + 1), text));
    }

    static BareJid bare(@Nullable String localpart, String domainpart) {
        if (localpart == null) {
            return domain(domainpart);
        }
        String local = localpart(localpart, localpart);
        return new BareJid(local, domainpart(domainpart, domainpart));
    }

    static DomainJid domain(String domainpart) {
        return new DomainJid(domainpart(domainpart, domainpart));
    }

    static FullJid full(BareJid bare, String resourcepart) {
        return new FullJid(bare, resourcepart(resourcepart, resourcepart));
    }

    private static String localpart(String raw, String input) {
        if (raw.isEmpty()) {
            throw new JidFormatException(Part.LOCALPART, input,
                    "empty (RFC 7622 section 3.3); a JID without localpart has no '@'");
        }
        String prepared;
        try {
            prepared = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(raw);
        } catch (IllegalArgumentException e) {
            throw new JidFormatException(Part.LOCALPART, input,
                    "not a PRECIS UsernameCaseMapped string (RFC 8265, RFC 7622 section 3.3): " + e.getMessage(), e);
        }
        // Checked after preparation because width mapping turns, for example, U+FF02 into '"'.
        for (int i = 0; i < prepared.length(); i++) {
            char c = prepared.charAt(i);
            if (LOCALPART_FORBIDDEN.indexOf(c) >= 0) {
                throw new JidFormatException(Part.LOCALPART, input,
                        "contains '" + c + "', which RFC 7622 section 3.3.1 forbids in a localpart");
            }
        }
        checkLength(Part.LOCALPART, prepared, input, "3.3");
        return prepared;
    }

    private static String resourcepart(String raw, String input) {
        if (raw.isEmpty()) {
            throw new JidFormatException(Part.RESOURCEPART, input,
                    "empty (RFC 7622 section 3.4); a JID without resourcepart has no '/'");
        }
        String prepared;
        try {
            prepared = PrecisProfiles.OPAQUE_STRING.enforce(raw);
        } catch (IllegalArgumentException e) {
            throw new JidFormatException(Part.RESOURCEPART, input,
                    "not a PRECIS OpaqueString (RFC 8265, RFC 7622 section 3.4): " + e.getMessage(), e);
        }
        // OpaqueString allows a leading space, but RFC 7622 lists "juliet@example.com/ foo" among the invalid JIDs
        // (section 3.5.2); checked after preparation because OpaqueString maps every other space to U+0020.
        if (prepared.charAt(0) == ' ') {
            throw new JidFormatException(Part.RESOURCEPART, input,
                    "begins with a space, which RFC 7622 section 3.5.2 rules out");
        }
        checkLength(Part.RESOURCEPART, prepared, input, "3.4");
        return prepared;
    }

    private static String domainpart(String raw, String input) {
        if (raw.isEmpty()) {
            throw new JidFormatException(Part.DOMAINPART, input, "empty (RFC 7622 section 3.2)");
        }
        String domain = raw.charAt(0) == '[' ? ipv6Literal(raw, input) : domainName(raw, input);
        checkLength(Part.DOMAINPART, domain, input, "3.2");
        return domain;
    }

    private static String domainName(String raw, String input) {
        if (raw.indexOf(':') >= 0) {
            throw new JidFormatException(Part.DOMAINPART, input,
                    "contains ':', which a domain name cannot; an IPv6 address must be written in brackets, as in"
                            + " [::1] (RFC 7622 section 3.2)");
        }
        StringBuilder unicode = new StringBuilder(raw.length());
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToUnicode(raw, unicode, info);
        if (info.hasErrors()) {
            StringJoiner errors = new StringJoiner(", ");
            info.getErrors().forEach(error -> errors.add(error.name()));
            throw new JidFormatException(Part.DOMAINPART, input,
                    "not an IDNA2008 domain name (RFC 7622 section 3.2; UTS #46 processing reports " + errors + ")");
        }
        // RFC 7622 section 3.2: a final label separator is not part of the address. Stripped after UTS #46 so that
        // the separators it maps to '.' (such as U+3002) count too; a second one has already failed as EMPTY_LABEL.
        int end = unicode.length();
        if (end > 0 && unicode.charAt(end - 1) == '.') {
            unicode.setLength(end - 1);
        }
        if (unicode.length() == 0) {
            throw new JidFormatException(Part.DOMAINPART, input, "empty (RFC 7622 section 3.2)");
        }
        String domain = unicode.toString();
        if (isFourNumericLabels(domain) && ipv4(domain) < 0) {
            throw new JidFormatException(Part.DOMAINPART, input,
                    "looks like an IPv4 address but is not one (RFC 3986 section 3.2.2, RFC 7622 section 3.2)");
        }
        return domain;
    }

    private static String ipv6Literal(String raw, String input) {
        if (raw.length() < 2 || raw.charAt(raw.length() - 1) != ']') {
            throw new JidFormatException(Part.DOMAINPART, input,
                    "an IP literal starts with '[' and must end with ']' (RFC 7622 section 3.2)");
        }
        String address = raw.substring(1, raw.length() - 1);
        int[] groups = ipv6(address);
        if (groups == null) {
            throw new JidFormatException(Part.DOMAINPART, input,
                    "'" + address + "' in brackets is not an IPv6 address (RFC 4291 section 2.2, RFC 7622 section 3.2)");
        }
        return '[' + formatIpv6(groups) + ']';
    }

    /** Four labels of ASCII digits: an IPv4 address by intent, so it has to be a valid one. */
    private static boolean isFourNumericLabels(String domain) {
        int dots = 0;
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    /**
     * The value of a dotted-decimal IPv4 address (RFC 3986 section 3.2.2), or -1. Leading zeros are refused because
     * some software reads them as octal, so {@code 010.0.0.1} would not name one host for everyone.
     */
    private static long ipv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return -1;
        }
        long value = 0;
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return -1;
            }
            int n = 0;
            for (int i = 0; i < octet.length(); i++) {
                char c = octet.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
            if (n > 255) {
                return -1;
            }
            value = (value << 8) | n;
        }
        return value;
    }

    /** The eight 16-bit groups of an IPv6 address in the text form of RFC 4291 section 2.2, or null. */
    private static int @Nullable [] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap < 0) {
            int[] all = ipv6Groups(text, true);
            return all != null && all.length == 8 ? all : null;
        }
        if (text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = gap == 0 ? new int[0] : ipv6Groups(text.substring(0, gap), false);
        int[] tail = gap + 2 == text.length() ? new int[0] : ipv6Groups(text.substring(gap + 2), true);
        if (head == null || tail == null || head.length + tail.length > 7) {
            return null;
        }
        int[] groups = new int[8];
        System.arraycopy(head, 0, groups, 0, head.length);
        System.arraycopy(tail, 0, groups, 8 - tail.length, tail.length);
        return groups;
    }

    private static int @Nullable [] ipv6Groups(String text, boolean ipv4AtEnd) {
        String[] fields = text.split(":", -1);
        int[] groups = new int[fields.length + 1];
        int count = 0;
        for (int f = 0; f < fields.length; f++) {
            String field = fields[f];
            if (ipv4AtEnd && f == fields.length - 1 && field.indexOf('.') >= 0) {
                long v4 = ipv4(field);
                if (v4 < 0) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xffff);
                continue;
            }
            if (field.isEmpty() || field.length() > 4) {
                return null;
            }
            int value = 0;
            for (int i = 0; i < field.length(); i++) {
                int digit = hexDigit(field.charAt(i));
                if (digit < 0) {
                    return null;
                }
                value = (value << 4) | digit;
            }
            groups[count++] = value;
        }
        return Arrays.copyOf(groups, count);
    }

    /** ASCII only: {@link Character#digit} would also accept, for example, fullwidth digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** The canonical text form of RFC 5952 section 4, so that equal addresses give equal JIDs. */
    private static String formatIpv6(int[] groups) {
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff) {
            // RFC 5952 section 5: an IPv4-mapped address keeps its IPv4 part in dotted decimal.
            return "::ffff:" + (groups[6] >>> 8) + '.' + (groups[6] & 0xff) + '.' + (groups[7] >>> 8) + '.'
                    + (groups[7] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static void checkLength(Part part, String prepared, String input, String section) {
        if (prepared.length() * 3 <= MAX_PART_BYTES) {
            return; // no UTF-16 unit takes more than three bytes, so counting them would change nothing
        }
        int bytes = utf8Length(prepared);
        if (bytes > MAX_PART_BYTES) {
            throw new JidFormatException(part, input, "is " + bytes + " bytes long in UTF-8 after preparation; RFC 7622"
                    + " section " + section + " allows at most " + MAX_PART_BYTES);
        }
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
