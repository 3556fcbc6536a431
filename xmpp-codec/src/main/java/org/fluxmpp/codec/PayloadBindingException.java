package org.fluxmpp.codec;

import org.jspecify.annotations.Nullable;

/**
 * Signals that {@link PayloadBinding} could not map an extension element to or from a Java type: the XML does not
 * fit the type, or the type cannot be serialised. The message names the type and the element.
 *
 * <pre>{@code
 * try {
 *     Weather w = binding.read(element, Weather.class);
 * } catch (PayloadBindingException e) {
 *     // answer the stanza with <bad-request/> (RFC 6120 section 8.3.3.1)
 * }
 * }</pre>
 */
public final class PayloadBindingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Class<?> type;

    /**
     * An exception about {@code type}.
     *
     * @param message what went wrong, naming the type
     * @param type    the Java type being read or written
     * @param cause   the underlying failure, or {@code null}
     */
    public PayloadBindingException(String message, Class<?> type, @Nullable Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    /** The Java type that was being read or written. */
    public Class<?> type() {
        return type;
    }
}
