package org.fluxmpp.transport.sasl;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An account's stored credentials: SCRAM keys for each hash (RFC 5802), never the password itself.
 *
 * <pre>{@code
 * Credentials c = Credentials.fromPassword("secret");       // keys for SHA-1, SHA-256 and SHA-512
 * ScramKeys k = c.keys(ScramHash.SHA_256);
 * }</pre>
 */
public final class Credentials {

    private final Map<ScramHash, ScramKeys> keys;

    private Credentials(Map<ScramHash, ScramKeys> keys) {
        this.keys = Collections.unmodifiableMap(new EnumMap<>(keys));
    }

    /**
     * Credentials holding these keys.
     *
     * @throws IllegalArgumentException when there are none
     */
    public static Credentials of(Iterable<ScramKeys> keys) {
        Map<ScramHash, ScramKeys> map = new EnumMap<>(ScramHash.class);
        for (ScramKeys k : keys) {
            map.put(k.hash(), k);
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("credentials need keys for at least one hash");
        }
        return new Credentials(map);
    }

    /**
     * Derives keys for every {@link ScramHash} from a password, each with its own random salt and
     * {@value ScramKeys#DEFAULT_ITERATIONS} iterations.
     *
     * @throws IllegalArgumentException when the password is empty or invalid for the OpaqueString profile
     */
    public static Credentials fromPassword(String password) {
        Map<ScramHash, ScramKeys> map = new EnumMap<>(ScramHash.class);
        for (ScramHash h : ScramHash.values()) {
            map.put(h, ScramKeys.derive(h, password, ScramKeys.randomSalt(), ScramKeys.DEFAULT_ITERATIONS));
        }
        return new Credentials(map);
    }

    /** The keys for this hash, or {@code null} when the account has none for it. */
    public @Nullable ScramKeys keys(ScramHash hash) {
        return keys.get(hash);
    }

    /** All keys, by hash. */
    public Map<ScramHash, ScramKeys> all() {
        return keys;
    }

    /** Whether a plain password matches (checked against the strongest stored hash). */
    public boolean matches(String password) {
        for (ScramHash h : new ScramHash[] {ScramHash.SHA_512, ScramHash.SHA_256, ScramHash.SHA_1}) {
            ScramKeys k = keys.get(h);
            if (k != null) {
                return k.matches(password);
            }
        }
        return false;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Credentials c && keys.equals(c.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials" + keys.keySet();
    }
}
