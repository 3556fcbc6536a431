package org.fluxmpp.transport;

import org.fluxmpp.transport.sasl.ScramHash;
import org.jspecify.annotations.Nullable;

/** The SASL mechanisms the server can offer (RFC 6120 section 6), strongest first. */
public enum SaslMechanism {
    /** SCRAM-SHA-512. */
    SCRAM_SHA_512("SCRAM-SHA-512", ScramHash.SHA_512),
    /** SCRAM-SHA-256 (RFC 7677). */
    SCRAM_SHA_256("SCRAM-SHA-256", ScramHash.SHA_256),
    /** SCRAM-SHA-1 (RFC 5802). */
    SCRAM_SHA_1("SCRAM-SHA-1", ScramHash.SHA_1),
    /** PLAIN (RFC 4616): the password in clear, so it is offered only inside TLS. */
    PLAIN("PLAIN", null);

    private final String mechanismName;
    private final @Nullable ScramHash scramHash;

    SaslMechanism(String mechanismName, @Nullable ScramHash scramHash) {
        this.mechanismName = mechanismName;
        this.scramHash = scramHash;
    }

    /** The name on the wire, such as {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** The SCRAM hash, or {@code null} for a mechanism that is not SCRAM. */
    public @Nullable ScramHash scramHash() {
        return scramHash;
    }

    /** Whether the mechanism sends the password in clear and so needs TLS. */
    public boolean needsTls() {
        return this == PLAIN;
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
