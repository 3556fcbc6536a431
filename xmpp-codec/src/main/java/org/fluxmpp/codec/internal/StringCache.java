package org.fluxmpp.codec.internal;

import org.jspecify.annotations.Nullable;

/**
 * A small per-stream table of recently decoded short strings, so that values that repeat from stanza to stanza
 * ({@code type='chat'}, the sender's own JID, {@code xml:lang}, entity capabilities, {@code <show>away</show>})
 * become one shared {@code String} instead of a new one each time. It is looked up straight from the parser's
 * {@code char[]}, so a hit allocates nothing.
 *
 * <p>Direct-mapped: a string replaces whatever held its slot, so a peer sending ever-new values only costs a miss
 * each. Only strings of up to {@value #MAX_CHARS} chars are kept, in {@value #SLOTS} slots, so one stream pins at
 * most about 7 KB (a few hundred bytes for a typical client's repeating values); {@link #clear()} gives it all back.
 * Not thread-safe; one per stream.
 */
public final class StringCache {

    /** The longest string kept, in chars; longer ones are created every time. */
    public static final int MAX_CHARS = 32;
    private static final int SLOTS = 64;

    private String @Nullable [] strings;

    /**
     * The string of chars {@code [start, start + length)} of {@code chars}: a cached equal one when there is one,
     * otherwise a new one, which is then cached if it has at most {@value #MAX_CHARS} chars.
     */
    public String get(char[] chars, int start, int length) {
        if (length == 0) {
            return "";
        }
        if (length > MAX_CHARS) {
            return new String(chars, start, length);
        }
        String[] table = strings;
        if (table == null) {
            table = new String[SLOTS];
            strings = table;
        }
        // The length and a few chars pick the slot: hashing every char costs more than the rare extra miss.
        int h = length * 31 + chars[start];
        h = h * 31 + chars[start + (length >> 1)];
        h = h * 31 + chars[start + (length >> 2)];
        h = h * 31 + chars[start + length - 1];
        int slot = (h ^ (h >>> 6)) & (SLOTS - 1);
        String s = table[slot];
        if (s != null && equal(s, chars, start, length)) {
            return s;
        }
        s = new String(chars, start, length);
        table[slot] = s;
        return s;
    }

    /** Forgets every string and gives back the table (for an idle or restarted stream). */
    public void clear() {
        strings = null;
    }

    private static boolean equal(String s, char[] chars, int start, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[start + i]) {
                return false;
            }
        }
        return true;
    }
}
