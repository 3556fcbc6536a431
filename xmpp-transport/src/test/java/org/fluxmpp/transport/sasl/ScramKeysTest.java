package org.fluxmpp.transport.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SCRAM key derivation (RFC 5802 section 3) and the credentials built from it. */
class ScramKeysTest {

    private static final byte[] RFC_SALT = Base64.getDecoder().decode("QSXCR+Q6sek8bf92");

    private static Credentials secret;

    @BeforeAll
    static void derive() {
        secret = Credentials.fromPassword("correct horse");
    }

    @Test
    void derivationReproducesTheRfc5802Exchange() {
        ScramKeys keys = ScramKeys.derive(ScramHash.SHA_1, "pencil", RFC_SALT, 4096);
        byte[] authMessage = ("n=user,r=fyko+d2lbbFgONRv9qkxdawL,"
                + "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096,"
                + "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j").getBytes(UTF_8);
        byte[] proof = Base64.getDecoder().decode("v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");

        // ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage), and StoredKey = H(ClientKey).
        byte[] signature = ScramHash.SHA_1.hmac(keys.storedKey(), authMessage);
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ signature[i]);
        }
        assertThat(ScramHash.SHA_1.hash(clientKey)).isEqualTo(keys.storedKey());
        assertThat(ScramHash.SHA_1.hmac(keys.serverKey(), authMessage))
                .isEqualTo(Base64.getDecoder().decode("rmF9pqV8S7suAoZWja4dJRkFsKQ="));
        assertThat(keys.hash()).isEqualTo(ScramHash.SHA_1);
        assertThat(keys.iterations()).isEqualTo(4096);
        assertThat(keys.salt()).isEqualTo(RFC_SALT);
    }

    @Test
    void fromPasswordMakesKeysForEveryHashWithDistinctRandomSalts() {
        assertThat(secret.all()).containsOnlyKeys(ScramHash.values());
        for (ScramHash h : ScramHash.values()) {
            ScramKeys k = secret.keys(h);
            assertThat(k).isNotNull();
            assertThat(k.hash()).isEqualTo(h);
            assertThat(k.iterations()).isEqualTo(ScramKeys.DEFAULT_ITERATIONS).isEqualTo(4096);
            assertThat(k.salt()).hasSize(16);
            assertThat(k.storedKey()).hasSize(h.length());
            assertThat(k.serverKey()).hasSize(h.length());
            assertThat(k.matches("correct horse")).isTrue();
        }
        Set<String> salts = secret.all().values().stream()
                .map(k -> Base64.getEncoder().encodeToString(k.salt()))
                .collect(Collectors.toSet());
        assertThat(salts).hasSize(3);
        Credentials again = Credentials.fromPassword("correct horse");
        assertThat(again.keys(ScramHash.SHA_256).salt()).isNotEqualTo(secret.keys(ScramHash.SHA_256).salt());
        assertThat(again).isNotEqualTo(secret);
    }

    @Test
    void randomSaltIsSixteenFreshBytes() {
        assertThat(ScramKeys.randomSalt()).hasSize(16).isNotEqualTo(ScramKeys.randomSalt());
    }

    @Test
    void matchesOnlyTheRightPassword() {
        assertThat(secret.matches("correct horse")).isTrue();
        assertThat(secret.matches("correct  horse")).isFalse();
        assertThat(secret.matches("Correct horse")).isFalse();
        assertThat(secret.matches("")).isFalse();
        // U+0007 is not allowed by OpaqueString: no match rather than an exception.
        assertThat(secret.matches("correct\u0007horse")).isFalse();
    }

    @Test
    void matchesUsesTheStrongestHashPresent() {
        ScramKeys sha1 = ScramKeys.derive(ScramHash.SHA_1, "one", RFC_SALT, 4096);
        ScramKeys sha256 = ScramKeys.derive(ScramHash.SHA_256, "two", RFC_SALT, 4096);

        assertThat(Credentials.of(List.of(sha1)).matches("one")).isTrue();
        assertThat(Credentials.of(List.of(sha1, sha256)).matches("two")).isTrue();
        assertThat(Credentials.of(List.of(sha1, sha256)).matches("one")).isFalse();
    }

    @Test
    void matchesAPasswordEqualAfterPreparation() {
        ScramKeys keys = ScramKeys.derive(ScramHash.SHA_256, "\u00e9t\u00e9", RFC_SALT, 4096);

        assertThat(keys.matches("e\u0301te\u0301")).isTrue();
        assertThat(ScramKeys.preparePassword("a\u3000b")).isEqualTo("a b");
    }

    @Test
    void emptyPasswordIsRejected() {
        assertThatThrownBy(() -> Credentials.fromPassword("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramKeys.derive(ScramHash.SHA_1, "", RFC_SALT, 4096))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramKeys.preparePassword("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> new ScramKeys(ScramHash.SHA_1, new byte[16], 0, new byte[20], new byte[20]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Credentials.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> secret.all().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void arraysAreCopiedInAndOut() {
        byte[] salt = {1, 2, 3};
        byte[] stored = {4, 5, 6};
        byte[] server = {7, 8, 9};
        ScramKeys keys = new ScramKeys(ScramHash.SHA_1, salt, 1, stored, server);

        Arrays.fill(salt, (byte) 0);
        Arrays.fill(stored, (byte) 0);
        Arrays.fill(server, (byte) 0);
        assertThat(keys.salt()).containsExactly(1, 2, 3);
        assertThat(keys.storedKey()).containsExactly(4, 5, 6);
        assertThat(keys.serverKey()).containsExactly(7, 8, 9);

        keys.salt()[0] = 99;
        keys.storedKey()[0] = 99;
        keys.serverKey()[0] = 99;
        assertThat(keys.salt()).containsExactly(1, 2, 3);
        assertThat(keys.storedKey()).containsExactly(4, 5, 6);
        assertThat(keys.serverKey()).containsExactly(7, 8, 9);
    }

    @Test
    void equalityIsByContent() {
        ScramKeys a = new ScramKeys(ScramHash.SHA_1, new byte[] {1}, 1, new byte[] {2}, new byte[] {3});
        ScramKeys b = new ScramKeys(ScramHash.SHA_1, new byte[] {1}, 1, new byte[] {2}, new byte[] {3});
        ScramKeys c = new ScramKeys(ScramHash.SHA_1, new byte[] {1}, 1, new byte[] {2}, new byte[] {4});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(Credentials.of(List.of(a))).isEqualTo(Credentials.of(List.of(b)))
                .hasSameHashCodeAs(Credentials.of(List.of(b)))
                .isNotEqualTo(Credentials.of(List.of(c)));
    }

    @Test
    void toStringHoldsNoKeyMaterial() {
        for (ScramKeys k : secret.all().values()) {
            String text = k.toString();
            assertThat(text).contains(k.hash().toString()).contains("4096");
            assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(k.storedKey()))
                    .doesNotContain(Base64.getEncoder().encodeToString(k.serverKey()))
                    .doesNotContain(Arrays.toString(k.storedKey()))
                    .doesNotContain(Arrays.toString(k.serverKey()))
                    .doesNotContain(hex(k.storedKey()))
                    .doesNotContain(hex(k.serverKey()));
            String credentials = secret.toString();
            assertThat(credentials).doesNotContain(Base64.getEncoder().encodeToString(k.storedKey()))
                    .doesNotContain(Base64.getEncoder().encodeToString(k.serverKey()))
                    .doesNotContain(Arrays.toString(k.storedKey()))
                    .doesNotContain(hex(k.serverKey()));
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
