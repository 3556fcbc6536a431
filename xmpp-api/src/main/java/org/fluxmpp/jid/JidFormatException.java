package org.fluxmpp.jid;

/** Thrown when text is not a valid JID (RFC 7622); says which part is wrong and why. */
public final class JidFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The part of a JID that failed. */
    public enum Part {
        /** The whole address (empty, or too long). */
        JID,
        /** The localpart (before {@code @}). */
        LOCALPART,
        /** The domainpart. */
        DOMAINPART,
        /** The resourcepart (after the first {@code /}). */
        RESOURCEPART
    }

    private final Part part;
    private final String input;

    /** An exception for {@code part} of {@code input}, with the reason. */
    public JidFormatException(Part part, String input, String reason) {
        super(part.name().toLowerCase(java.util.Locale.ROOT) + " of '" + input + "' is invalid: " + reason);
        this.part = part;
        this.input = input;
    }

    /** The part that failed. */
    public Part part() {
        return part;
    }

    /** The text that was parsed. */
    public String input() {
        return input;
    }
}
