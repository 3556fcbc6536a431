package org.fluxmpp.jid;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when text is not a valid JID (RFC 7622); says which part is wrong and why.
 *
 * <p>The message has the form {@code "<part> of '<input>' is invalid: <reason>"}, for example
 * {@code localpart of 'foo bar@example.com' is invalid: not a UsernameCaseMapped string (RFC 8265 section 3.3):
 * Invalid code point at position 3: 0x20}. When the reason comes from the PRECIS or IDNA library, that library's
 * message is part of it and, for PRECIS, its exception is the {@linkplain #getCause() cause}.
 */
public final class JidFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Beyond this many characters the input is cut short in the message, so that a huge address from a peer
     * cannot make every log line that quotes the exception huge; {@link #input()} keeps all of it. */
    private static final int MAX_QUOTED_INPUT = 256;

    /** The part of a JID that failed (RFC 7622 section 3). */
    public enum Part {
        /** The whole address (empty, or only whitespace). */
        JID,
        /** The localpart (before the {@code @}; RFC 7622 section 3.3). */
        LOCALPART,
        /** The domainpart (RFC 7622 section 3.2). */
        DOMAINPART,
        /** The resourcepart (after the first {@code /}; RFC 7622 section 3.4). */
        RESOURCEPART
    }

    /** The part that failed. */
    private final Part part;
    /** The text that was parsed or prepared, in full. */
    private final String input;

    /**
     * An exception for {@code part} of {@code input}, with the reason.
     *
     * @param part   the part that failed
     * @param input  the text that was parsed or prepared
     * @param reason why the part is invalid, in words
     */
    public JidFormatException(Part part, String input, String reason) {
        this(part, input, reason, null);
    }

    JidFormatException(Part part, String input, String reason, @Nullable Throwable cause) {
        super(part.name().toLowerCase(Locale.ROOT) + " of '" + quote(input) + "' is invalid: " + reason, cause);
        this.part = part;
        this.input = input;
    }

    private static String quote(String input) {
        if (input.length() <= MAX_QUOTED_INPUT) {
            return input;
        }
        // Not cutting between the two halves of a surrogate pair keeps the message valid UTF-16.
        int end = Character.isHighSurrogate(input.charAt(MAX_QUOTED_INPUT - 1)) ? MAX_QUOTED_INPUT - 1 : MAX_QUOTED_INPUT;
        return input.substring(0, end) + "…(" + input.length() + " chars)";
    }

    /**
     * The part that failed.
     *
     * @return the part, never {@code null}
     */
    public Part part() {
        return part;
    }

    /**
     * The text that was parsed or prepared, in full.
     *
     * @return the input as given, before any normalisation
     */
    public String input() {
        return input;
    }
}
