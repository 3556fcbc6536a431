package org.fluxmpp.benchmarks.loadgen;

import org.fluxmpp.transport.sasl.ScramHash;
import org.jspecify.annotations.Nullable;

/**
 * The SASL mechanisms the load generator authenticates with (RFC 6120 section 6). Channel binding (-PLUS) is never
 * used: every server under comparison must be measured with the same exchange, and Prosody offers -PLUS only where
 * it can do {@code tls-unique}.
 */
public enum SaslMechanism {
    /** SCRAM-SHA-1 (RFC 5802): what Prosody's {@code internal_hashed} store offers. */
    SCRAM_SHA_1(ScramHash.SHA_1),
    /** SCRAM-SHA-256 (RFC 7677). */
    SCRAM_SHA_256(ScramHash.SHA_256),
    /** PLAIN (RFC 4616), only ever sent inside TLS. */
    PLAIN(null);

    private final @Nullable ScramHash hash;

    SaslMechanism(@Nullable ScramHash hash) {
        this.hash = hash;
    }

    /** The SCRAM hash, or {@code null} for PLAIN. */
    public @Nullable ScramHash scramHash() {
        return hash;
    }

    /** The name in {@code <mechanism/>} and {@code <auth mechanism='...'/>}, such as {@code SCRAM-SHA-1}. */
    public String mechanismName() {
        return hash == null ? "PLAIN" : hash.mechanismName();
    }

    /** The mechanism with this name (as on the command line: {@code SCRAM-SHA-1}, {@code PLAIN}, ...). */
    public static SaslMechanism fromName(String name) {
        for (SaslMechanism m : values()) {
            if (m.mechanismName().equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown SASL mechanism " + name + " (SCRAM-SHA-1, SCRAM-SHA-256, PLAIN)");
    }
}
