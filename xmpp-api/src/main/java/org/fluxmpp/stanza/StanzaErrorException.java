package org.fluxmpp.stanza;

import java.util.Objects;

/**
 * Signals a {@link StanzaError}: a handler throws or signals it to have the stanza answered with that error, and a
 * client sees it when a request is answered with an error.
 *
 * <pre>{@code
 * return Mono.error(new StanzaErrorException(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND)));
 * }</pre>
 */
public class StanzaErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient StanzaError error;

    /** An exception carrying this error. */
    public StanzaErrorException(StanzaError error) {
        super(error.condition().elementName() + (error.text() == null ? "" : ": " + error.text()));
        this.error = Objects.requireNonNull(error, "error");
    }

    /** An exception for this condition (its default type) with a text. */
    public StanzaErrorException(StanzaError.Condition condition, String text) {
        this(StanzaError.of(condition, text));
    }

    /** The stanza error. */
    public StanzaError error() {
        return error;
    }
}
