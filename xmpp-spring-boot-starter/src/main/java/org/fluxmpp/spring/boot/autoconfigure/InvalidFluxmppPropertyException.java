package org.fluxmpp.spring.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A {@code fluxmpp.*} property whose value the server or client cannot use; start-up fails with it, and
 * {@link FluxmppPropertyFailureAnalyzer} reports the property, the value and why.
 */
public class InvalidFluxmppPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final @Nullable Object value;

    /**
     * @param property the property's full name, for example {@code fluxmpp.server.domains[0]}
     * @param value    the value that was set, or {@code null} when a required property is missing
     * @param reason   why it cannot be used
     */
    public InvalidFluxmppPropertyException(String property, @Nullable Object value, String reason) {
        super("Invalid value " + (value == null ? "(none)" : "'" + value + "'") + " for property '" + property + "': "
                + reason);
        this.property = property;
        this.value = value;
    }

    /** The property's full name. */
    public String property() {
        return property;
    }

    /** The value that was set, or {@code null} when it was missing. */
    public @Nullable Object value() {
        return value;
    }
}
