package org.fluxmpp.transport.internal.sasl;

import org.fluxmpp.jid.BareJid;
import org.fluxmpp.transport.sasl.SaslCondition;
import org.jspecify.annotations.Nullable;

/** The outcome of one step of a server-side SASL exchange. */
public sealed interface SaslStep {

    /** Send a {@code <challenge/>} and wait for a {@code <response/>}. */
    record Challenge(byte[] data) implements SaslStep {
    }

    /** Authenticated: send {@code <success/>} with the additional data (may be empty). */
    record Success(BareJid account, byte[] additionalData) implements SaslStep {
    }

    /** Failed: send {@code <failure/>} with this condition. */
    record Failure(SaslCondition condition, @Nullable String text) implements SaslStep {
    }
}
