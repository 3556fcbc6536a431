package org.fluxmpp.transport.sasl;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash functions of the SCRAM mechanisms (RFC 5802 for SHA-1, RFC 7677 for SHA-256, and SCRAM-SHA-512), with
 * the JDK primitives that compute them.
 */
public enum ScramHash {
    /** SCRAM-SHA-1 (RFC 5802). */
    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", "PBKDF2WithHmacSHA1", 20),
    /** SCRAM-SHA-256 (RFC 7677). */
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 32),
    /** SCRAM-SHA-512 (draft-melnikov-scram-sha-512). */
    SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", "PBKDF2WithHmacSHA512", 64);

    private final String mechanism;
    private final String digest;
    private final String hmac;
    private final String pbkdf2;
    private final int length;

    ScramHash(String mechanism, String digest, String hmac, String pbkdf2, int length) {
        this.mechanism = mechanism;
        this.digest = digest;
        this.hmac = hmac;
        this.pbkdf2 = pbkdf2;
        this.length = length;
    }

    /** The SASL mechanism name without channel binding, such as {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanism;
    }

    /** The output length of the hash, in bytes. */
    public int length() {
        return length;
    }

    /** The name of the JDK's PBKDF2 {@code SecretKeyFactory} for this hash (SCRAM's {@code Hi()}). */
    public String pbkdf2Algorithm() {
        return pbkdf2;
    }

    /** H(data). */
    public byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is missing from this JDK", e);
        }
    }

    /** HMAC(key, data). */
    public byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is missing from this JDK", e);
        }
    }

    /** The hash whose mechanism name (without {@code -PLUS}) is this, or {@code null}. */
    public static @org.jspecify.annotations.Nullable ScramHash fromMechanism(String name) {
        for (ScramHash h : values()) {
            if (h.mechanism.equals(name)) {
                return h;
            }
        }
        return null;
    }
}
