package org.fluxmpp.transport.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * The SCRAM keys of one account for one hash (RFC 5802 section 3): what a server stores instead of a password.
 *
 * <p>{@code SaltedPassword = Hi(OpaqueString(password), salt, iterations)}, {@code StoredKey = H(HMAC(SaltedPassword,
 * "Client Key"))}, {@code ServerKey = HMAC(SaltedPassword, "Server Key")}. Knowing them lets the server check a client
 * without being able to log in as it.
 *
 * <pre>{@code
 * ScramKeys keys = ScramKeys.derive(ScramHash.SHA_256, "secret", ScramKeys.randomSalt(), 4096);
 * boolean ok = keys.matches("secret");
 * }</pre>
 *
 * @param hash       the hash function
 * @param salt       the salt (at least 16 random bytes when made by {@link #randomSalt()})
 * @param iterations the PBKDF2 iteration count (RFC 7677 asks for at least 4096)
 * @param storedKey  {@code H(ClientKey)}
 * @param serverKey  {@code HMAC(SaltedPassword, "Server Key")}
 */
public record ScramKeys(ScramHash hash, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** The iteration count used for new accounts: {@value}, RFC 7677's recommended minimum. */
    public static final int DEFAULT_ITERATIONS = 4096;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Checks and copies the arrays. */
    public ScramKeys {
        Objects.requireNonNull(hash, "hash");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** 16 random bytes from a {@code SecureRandom}. */
    public static byte[] randomSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /**
     * Derives the keys from a password, prepared with the PRECIS OpaqueString profile (RFC 8265 section 4.2).
     *
     * @throws IllegalArgumentException when the password is empty or not valid for OpaqueString
     */
    public static ScramKeys derive(ScramHash hash, String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(hash, preparePassword(password), salt, iterations);
        return new ScramKeys(hash, salt, iterations, hash.hash(clientKey(hash, salted)), serverKey(hash, salted));
    }

    /** {@code ClientKey = HMAC(SaltedPassword, "Client Key")} (RFC 5802 section 3). */
    public static byte[] clientKey(ScramHash hash, byte[] saltedPassword) {
        return hash.hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code ServerKey = HMAC(SaltedPassword, "Server Key")} (RFC 5802 section 3). */
    public static byte[] serverKey(ScramHash hash, byte[] saltedPassword) {
        return hash.hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Prepares a password with the OpaqueString profile.
     *
     * @throws IllegalArgumentException when it is empty or has disallowed code points
     */
    public static String preparePassword(String password) {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the password is empty");
        }
        return PrecisProfiles.OPAQUE_STRING.enforce(password);
    }

    /** {@code Hi(password, salt, i)}: PBKDF2 with this hash's HMAC, from the JDK's {@code SecretKeyFactory}. */
    public static byte[] saltedPassword(ScramHash hash, String preparedPassword, byte[] salt, int iterations) {
        char[] chars = preparedPassword.toCharArray();
        try {
            // The JDK's PBKDF2 encodes the password chars as UTF-8, which is what SCRAM's Normalize() output needs.
            PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, hash.length() * 8);
            return SecretKeyFactory.getInstance(hash.pbkdf2Algorithm()).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hash.pbkdf2Algorithm() + " failed", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Whether a plain password (as SASL PLAIN sends it) matches these keys, compared in constant time.
     *
     * @return {@code false} also when the password cannot be prepared
     */
    public boolean matches(String password) {
        ScramKeys other;
        try {
            other = derive(hash, password, salt, iterations);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(storedKey, other.storedKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramKeys k && hash == k.hash && iterations == k.iterations
                && Arrays.equals(salt, k.salt) && Arrays.equals(storedKey, k.storedKey)
                && Arrays.equals(serverKey, k.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hash, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey));
    }

    @Override
    public String toString() {
        // Keys stay out of logs.
        return "ScramKeys[" + hash + ", iterations=" + iterations + ", salt=" + Base64.getEncoder().encodeToString(salt)
                + "]";
    }
}
