package org.fluxmpp.transport;

import org.fluxmpp.transport.sasl.SaslCondition;
import org.jspecify.annotations.Nullable;

/**
 * Authentication failed: the server answered {@code <failure/>} (RFC 6120 section 6.5), or the client refused the
 * server (a wrong SCRAM server signature, RFC 5802 section 5; a channel-binding downgrade, XEP-0440; no mechanism
 * both sides offer).
 *
 * <pre>{@code
 * client.connect().onErrorResume(SaslFailureException.class, e -> {
 *     log.warn("login refused: {}", e.condition());
 *     return Mono.empty();
 * });
 * }</pre>
 */
public final class SaslFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final @Nullable SaslCondition condition;

    /**
     * A failure.
     *
     * @param condition the server's condition, or {@code null} when the client refused the server
     * @param message   what happened, for people
     */
    public SaslFailureException(@Nullable SaslCondition condition, String message) {
        super(message);
        this.condition = condition;
    }

    /** The condition the server sent (RFC 6120 section 6.5), or {@code null} when the client refused the server. */
    public @Nullable SaslCondition condition() {
        return condition;
    }
}
