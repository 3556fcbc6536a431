package org.fluxmpp.transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.jspecify.annotations.Nullable;

/**
 * The server's SASL settings (RFC 6120 section 6): which mechanisms to offer, in which order, the credential store
 * and the retry limit. Immutable; each method returns a copy.
 *
 * <pre>{@code
 * XmppServer.create().authentication(sasl -> sasl.scramSha256().scramSha1().plain().credentials(store));
 * }</pre>
 *
 * <p>With no mechanism named, the server offers, inside TLS, SCRAM-SHA-512-PLUS, SCRAM-SHA-256-PLUS and
 * SCRAM-SHA-1-PLUS (channel binding, advertised with XEP-0440), then SCRAM-SHA-512, SCRAM-SHA-256, SCRAM-SHA-1 and
 * PLAIN. ANONYMOUS is offered only when named.
 */
public final class ServerSasl {

    /** Failed attempts allowed per stream before it is ended: {@value} (RFC 6120 6.4.5 asks for 2 to 5). */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private static final List<SaslMechanism> DEFAULT_MECHANISMS = List.of(SaslMechanism.SCRAM_SHA_512_PLUS,
            SaslMechanism.SCRAM_SHA_256_PLUS, SaslMechanism.SCRAM_SHA_1_PLUS, SaslMechanism.SCRAM_SHA_512,
            SaslMechanism.SCRAM_SHA_256, SaslMechanism.SCRAM_SHA_1, SaslMechanism.PLAIN);

    static final ServerSasl DEFAULT = new ServerSasl(List.of(), null, DEFAULT_MAX_ATTEMPTS);

    private final List<SaslMechanism> mechanisms;
    private final @Nullable CredentialStore credentials;
    private final int maxAttempts;

    private ServerSasl(List<SaslMechanism> mechanisms, @Nullable CredentialStore credentials, int maxAttempts) {
        this.mechanisms = mechanisms;
        this.credentials = credentials;
        this.maxAttempts = maxAttempts;
    }

    /** Adds SCRAM-SHA-512-PLUS (channel binding) to the offered mechanisms. */
    public ServerSasl scramSha512Plus() {
        return mechanism(SaslMechanism.SCRAM_SHA_512_PLUS);
    }

    /** Adds SCRAM-SHA-256-PLUS (channel binding) to the offered mechanisms. */
    public ServerSasl scramSha256Plus() {
        return mechanism(SaslMechanism.SCRAM_SHA_256_PLUS);
    }

    /** Adds SCRAM-SHA-1-PLUS (channel binding) to the offered mechanisms. */
    public ServerSasl scramSha1Plus() {
        return mechanism(SaslMechanism.SCRAM_SHA_1_PLUS);
    }

    /** Adds ANONYMOUS (RFC 4505): anyone may open a session under a fresh random JID. */
    public ServerSasl anonymous() {
        return mechanism(SaslMechanism.ANONYMOUS);
    }

    /** Adds SCRAM-SHA-512 to the offered mechanisms. */
    public ServerSasl scramSha512() {
        return mechanism(SaslMechanism.SCRAM_SHA_512);
    }

    /** Adds SCRAM-SHA-256 to the offered mechanisms. */
    public ServerSasl scramSha256() {
        return mechanism(SaslMechanism.SCRAM_SHA_256);
    }

    /** Adds SCRAM-SHA-1 to the offered mechanisms. */
    public ServerSasl scramSha1() {
        return mechanism(SaslMechanism.SCRAM_SHA_1);
    }

    /** Adds PLAIN to the offered mechanisms (it is still only offered inside TLS). */
    public ServerSasl plain() {
        return mechanism(SaslMechanism.PLAIN);
    }

    /** Adds a mechanism; mechanisms are offered in the order added. */
    public ServerSasl mechanism(SaslMechanism mechanism) {
        Objects.requireNonNull(mechanism, "mechanism");
        List<SaslMechanism> list = new ArrayList<>(mechanisms);
        if (!list.contains(mechanism)) {
            list.add(mechanism);
        }
        return new ServerSasl(Collections.unmodifiableList(list), credentials, maxAttempts);
    }

    /** Sets the credential store that SCRAM and PLAIN check against. */
    public ServerSasl credentials(CredentialStore store) {
        return new ServerSasl(mechanisms, Objects.requireNonNull(store, "store"), maxAttempts);
    }

    /**
     * Sets the failed attempts allowed per stream; after the last one the stream ends with {@code not-authorized}.
     *
     * @throws IllegalArgumentException when below 1
     */
    public ServerSasl maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + attempts);
        }
        return new ServerSasl(mechanisms, credentials, attempts);
    }

    /** The mechanisms offered, in order (the defaults when none were named). */
    public List<SaslMechanism> mechanisms() {
        return mechanisms.isEmpty() ? DEFAULT_MECHANISMS : mechanisms;
    }

    /** The credential store, or {@code null} when none was set. */
    public @Nullable CredentialStore credentials() {
        return credentials;
    }

    /** The failed attempts allowed per stream. */
    public int maxAttempts() {
        return maxAttempts;
    }
}
