package org.fluxmpp.transport;

import org.fluxmpp.transport.sasl.ScramHash;
import org.jspecify.annotations.Nullable;

/**
 * The SASL mechanisms the server can offer (RFC 6120 section 6), strongest first: SCRAM with channel binding
 * (-PLUS, RFC 5802 section 6), SCRAM without it, PLAIN, and ANONYMOUS.
 */
public enum SaslMechanism {
    /** SCRAM-SHA-512-PLUS: SCRAM-SHA-512 bound to the TLS channel. */
    SCRAM_SHA_512_PLUS("SCRAM-SHA-512-PLUS", ScramHash.SHA_512, true),
    /** SCRAM-SHA-256-PLUS (RFC 7677) bound to the TLS channel. */
    SCRAM_SHA_256_PLUS("SCRAM-SHA-256-PLUS", ScramHash.SHA_256, true),
    /** SCRAM-SHA-1-PLUS (RFC 5802) bound to the TLS channel. */
    SCRAM_SHA_1_PLUS("SCRAM-SHA-1-PLUS", ScramHash.SHA_1, true),
    /** SCRAM-SHA-512. */
    SCRAM_SHA_512("SCRAM-SHA-512", ScramHash.SHA_512, false),
    /** SCRAM-SHA-256 (RFC 7677). */
    SCRAM_SHA_256("SCRAM-SHA-256", ScramHash.SHA_256, false),
    /** SCRAM-SHA-1 (RFC 5802). */
    SCRAM_SHA_1("SCRAM-SHA-1", ScramHash.SHA_1, false),
    /** PLAIN (RFC 4616): the password in clear, so it is offered only inside TLS. */
    PLAIN("PLAIN", null, false),
    /** ANONYMOUS (RFC 4505): a session under a fresh, random JID; only when configured, and only inside TLS. */
    ANONYMOUS("ANONYMOUS", null, false);

    private final String mechanismName;
    private final @Nullable ScramHash scramHash;
    private final boolean channelBinding;

    SaslMechanism(String mechanismName, @Nullable ScramHash scramHash, boolean channelBinding) {
        this.mechanismName = mechanismName;
        this.scramHash = scramHash;
        this.channelBinding = channelBinding;
    }

    /** The name on the wire, such as {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** The SCRAM hash, or {@code null} for a mechanism that is not SCRAM. */
    public @Nullable ScramHash scramHash() {
        return scramHash;
    }

    /** Whether this is a -PLUS variant, which binds the exchange to the TLS channel. */
    public boolean channelBinding() {
        return channelBinding;
    }

    /** Whether the mechanism needs TLS: PLAIN sends the password in clear, -PLUS binds to TLS itself. */
    public boolean needsTls() {
        return this == PLAIN || this == ANONYMOUS || channelBinding;
    }

    /** The mechanism with this wire name, or {@code null}. */
    public static @Nullable SaslMechanism fromName(String name) {
        for (SaslMechanism m : values()) {
            if (m.mechanismName.equals(name)) {
                return m;
            }
        }
        return null;
    }
}
