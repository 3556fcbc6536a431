package org.fluxmpp.transport.internal.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.SaslCondition;
import org.fluxmpp.transport.sasl.ScramHash;
import org.fluxmpp.transport.sasl.ScramKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The server side of SCRAM against the RFC test vectors and a client computed here. */
class ScramServerTest {

    private static final String DOMAIN = "example.com";
    private static final BareJid USER = BareJid.of("user", DOMAIN);
    private static final String PASSWORD = "pencil";

    /** Keys for "pencil" for every hash (derived once: PBKDF2 with 4096 iterations is not free). */
    private static Credentials pencil;

    @BeforeAll
    static void deriveKeys() {
        pencil = Credentials.fromPassword(PASSWORD);
    }

    // ---- RFC test vectors -------------------------------------------------------------------------------------

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of(ScramHash.SHA_1, "QSXCR+Q6sek8bf92", "3rfcNHYJY1ZVvWVs7j",
                        "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
                        "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
                        "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
                        "v=rmF9pqV8S7suAoZWja4dJRkFsKQ="),
                Arguments.of(ScramHash.SHA_256, "W22ZaJ0SNY7soEsUEjb6gQ==", "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
                        "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
                        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                        "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }

    /** RFC 5802 section 5 (SCRAM-SHA-1) and RFC 7677 section 3 (SCRAM-SHA-256), byte for byte. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void rfcTestVector(ScramHash hash, String salt, String serverNoncePart, String clientFirst, String serverFirst,
                       String clientFinal, String serverFinal) {
        ScramKeys keys = ScramKeys.derive(hash, PASSWORD, Base64.getDecoder().decode(salt), 4096);
        ScramServer server = new ScramServer(hash, DOMAIN, store(Map.of(USER, Credentials.of(List.of(keys)))),
                () -> serverNoncePart);

        assertThat(challenge(step(server, clientFirst))).isEqualTo(serverFirst.getBytes(UTF_8));

        SaslStep.Success success = success(step(server, clientFinal));
        assertThat(success.account()).isEqualTo(USER);
        assertThat(success.additionalData()).isEqualTo(serverFinal.getBytes(UTF_8));
    }

    // ---- full exchanges with a client computed here -----------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ScramHash.class)
    void roundTripSucceedsAndServerSignatureVerifies(ScramHash hash) {
        ScramServer server = new ScramServer(hash, DOMAIN, store(Map.of(USER, pencil)));
        Client client = new Client(hash, "n,,", "user", PASSWORD);

        String serverFirst = text(challenge(step(server, client.first())));
        SaslStep.Success success = success(step(server, client.finalMessage(serverFirst)));

        assertThat(success.account()).isEqualTo(USER);
        assertThat(text(success.additionalData())).isEqualTo(client.expectedServerFinal());
    }

    @Test
    void publicConstructorAppendsAFreshRandomNonce() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));
            String serverFirst = text(challenge(step(server, "n,,n=user,r=abc")));
            String nonce = attribute(serverFirst, "r");
            assertThat(nonce).startsWith("abc").hasSize(3 + 24).doesNotContain(",");
            seen.add(nonce);
        }
        assertThat(seen).hasSize(2);
    }

    @Test
    void wrongPasswordIsNotAuthorized() {
        ScramServer server = new ScramServer(ScramHash.SHA_512, DOMAIN, store(Map.of(USER, pencil)));
        Client client = new Client(ScramHash.SHA_512, "n,,", "user", "pen");

        String serverFirst = text(challenge(step(server, client.first())));

        assertThat(failure(step(server, client.finalMessage(serverFirst))))
                .isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @Test
    void proofOfTheWrongLengthIsNotAuthorized() {
        ScramServer server = new ScramServer(ScramHash.SHA_512, DOMAIN, store(Map.of(USER, pencil)));
        String serverFirst = text(challenge(step(server, "n,,n=user,r=abc")));

        String finalMessage = "c=biws,r=" + attribute(serverFirst, "r") + ",p=" + b64(new byte[20]);

        assertThat(failure(step(server, finalMessage))).isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @Test
    void unknownUserGetsAChallengeLikeAKnownOneThenNotAuthorized() {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));
        Client client = new Client(ScramHash.SHA_256, "n,,", "nobody", PASSWORD);

        String serverFirst = text(challenge(step(server, client.first())));

        assertThat(serverFirst).matches("r=" + java.util.regex.Pattern.quote(client.clientNonce) + "[^,]{24},s=[^,]+,i=4096");
        assertThat(Base64.getDecoder().decode(attribute(serverFirst, "s"))).hasSize(16);
        assertThat(failure(step(server, client.finalMessage(serverFirst)))).isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @Test
    void decoySaltIsStablePerUsernameAndDiffersBetweenUsernames() {
        String nobody1 = decoySalt("nobody");
        String nobody2 = decoySalt("nobody");
        String other = decoySalt("someone-else");

        assertThat(nobody1).isEqualTo(nobody2);
        assertThat(other).isNotEqualTo(nobody1);
    }

    private static String decoySalt(String username) {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of()));
        return attribute(text(challenge(step(server, "n,,n=" + username + ",r=" + System.nanoTime()))), "s");
    }

    @Test
    void accountWithoutKeysForThisHashIsTreatedAsUnknown() {
        Credentials sha1Only = Credentials.of(List.of(pencil.keys(ScramHash.SHA_1)));
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, sha1Only)));
        Client client = new Client(ScramHash.SHA_256, "n,,", "user", PASSWORD);

        String serverFirst = text(challenge(step(server, client.first())));

        assertThat(serverFirst).contains(",i=4096");
        assertThat(failure(step(server, client.finalMessage(serverFirst)))).isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @Test
    void authzidEqualToTheAccountIsAccepted() {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));
        Client client = new Client(ScramHash.SHA_256, "n,a=user@example.com,", "user", PASSWORD);

        String serverFirst = text(challenge(step(server, client.first())));
        SaslStep.Success success = success(step(server, client.finalMessage(serverFirst)));

        assertThat(success.account()).isEqualTo(USER);
        assertThat(text(success.additionalData())).isEqualTo(client.expectedServerFinal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"n,a=admin@example.com,n=user,r=abc", "n,a=user@example.net,n=user,r=abc",
            "n,a=,n=user,r=abc", "n,user@example.com,n=user,r=abc"})
    void otherAuthzidIsInvalid(String clientFirst) {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));

        assertThat(failure(step(server, clientFirst))).isEqualTo(SaslCondition.INVALID_AUTHZID);
    }

    @Test
    void channelBindingRequestIsRefusedAsNoPlusVariantIsOffered() {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));

        assertThat(failure(step(server, "p=tls-server-end-point,,n=user,r=abc")))
                .isEqualTo(SaslCondition.MALFORMED_REQUEST);
    }

    @Test
    void clientSupportingChannelBindingIsAcceptedWhenTheServerOffersNone() {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));
        Client client = new Client(ScramHash.SHA_256, "y,,", "user", PASSWORD);

        String serverFirst = text(challenge(step(server, client.first())));
        SaslStep.Success success = success(step(server, client.finalMessage(serverFirst)));

        assertThat(success.account()).isEqualTo(USER);
    }

    @Test
    void nonceMismatchIsNotAuthorizedEvenWithAValidProof() {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));
        Client client = new Client(ScramHash.SHA_256, "n,,", "user", PASSWORD);
        String serverFirst = text(challenge(step(server, client.first())));

        // The proof is computed over the altered nonce, so only the nonce check can catch it.
        String altered = client.finalMessage(serverFirst, b64("n,,"), client.clientNonce + "forged");

        assertThat(failure(step(server, altered))).isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"y,,", "n,a=user@example.com,", "", "n,"})
    void channelBindingDataNotMatchingTheGs2HeaderIsNotAuthorized(String claimedHeader) {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));
        Client client = new Client(ScramHash.SHA_256, "n,,", "user", PASSWORD);
        String serverFirst = text(challenge(step(server, client.first())));

        // A downgrade: the proof covers c=, but c= does not repeat the header the exchange started with.
        String altered = client.finalMessage(serverFirst, b64(claimedHeader), attribute(serverFirst, "r"));

        assertThat(failure(step(server, altered))).isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "n,n=user,r=abc", "x,,n=user,r=abc", "n,,r=abc,n=user", "n,,n=user",
            "n,,n=user,r=", "n,,m=ext,n=user,r=abc", ",,n=user,r=abc"})
    void malformedClientFirstIsMalformedRequest(String clientFirst) {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));

        assertThat(failure(step(server, clientFirst))).isEqualTo(SaslCondition.MALFORMED_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "r=NONCE,p=AAAA", "c=biws,r=NONCE", "c=biws,p=AAAA", "c=biws,x=1,r=NONCE,p=AAAA",
            "c=b!ws,r=NONCE,p=AAAA", "c=biws,r=NONCE,p=A$A$"})
    void malformedClientFinalIsMalformedRequest(String template) {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));
        String serverFirst = text(challenge(step(server, "n,,n=user,r=abc")));

        String clientFinal = template.replace("NONCE", attribute(serverFirst, "r"));

        assertThat(failure(step(server, clientFinal))).isEqualTo(SaslCondition.MALFORMED_REQUEST);
    }

    @Test
    void messageAfterTheExchangeIsMalformed() {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));
        Client client = new Client(ScramHash.SHA_256, "n,,", "user", PASSWORD);
        String serverFirst = text(challenge(step(server, client.first())));
        String clientFinal = client.finalMessage(serverFirst);
        success(step(server, clientFinal));

        assertThat(failure(step(server, clientFinal))).isEqualTo(SaslCondition.MALFORMED_REQUEST);
    }

    @Test
    void saslnameEscapesAreDecoded() {
        BareJid odd = BareJid.of("us,er=x", DOMAIN);
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(odd, pencil)));
        Client client = new Client(ScramHash.SHA_256, "n,,", "us=2Cer=3Dx", PASSWORD);

        String serverFirst = text(challenge(step(server, client.first())));

        assertThat(success(step(server, client.finalMessage(serverFirst))).account()).isEqualTo(odd);
    }

    @Test
    void escapedAuthzidIsDecoded() {
        BareJid odd = BareJid.of("us,er", DOMAIN);
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(odd, pencil)));
        Client client = new Client(ScramHash.SHA_256, "n,a=us=2Cer@example.com,", "us=2Cer", PASSWORD);

        String serverFirst = text(challenge(step(server, client.first())));

        assertThat(success(step(server, client.finalMessage(serverFirst))).account()).isEqualTo(odd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"us=er", "user=", "user=2", "user=2c", "user=3d", "user=41", "=3"})
    void badSaslnameEscapeIsMalformed(String username) {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));

        assertThat(failure(step(server, "n,,n=" + username + ",r=abc"))).isEqualTo(SaslCondition.MALFORMED_REQUEST);
    }

    @Test
    void decodeSaslName() {
        assertThat(ScramServer.decodeSaslName("plain")).isEqualTo("plain");
        assertThat(ScramServer.decodeSaslName("a=2Cb=3Dc")).isEqualTo("a,b=c");
        assertThat(ScramServer.decodeSaslName("=3D=2C")).isEqualTo("=,");
        assertThat(ScramServer.decodeSaslName("=3D2C")).isEqualTo("=2C");
        assertThat(ScramServer.decodeSaslName("a=")).isNull();
        assertThat(ScramServer.decodeSaslName("a=2")).isNull();
        assertThat(ScramServer.decodeSaslName("a=2c")).isNull();
        assertThat(ScramServer.decodeSaslName("a=20")).isNull();
    }

    @Test
    void storeErrorIsTemporaryAuthFailure() {
        CredentialStore failing = account -> Mono.error(new IllegalStateException("database down"));
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, failing);

        assertThat(failure(step(server, "n,,n=user,r=abc"))).isEqualTo(SaslCondition.TEMPORARY_AUTH_FAILURE);
    }

    @Test
    void emptyInitialResponseGetsAnEmptyChallengeThenTheExchangeGoesOn() {
        ScramServer server = new ScramServer(ScramHash.SHA_256, DOMAIN, store(Map.of(USER, pencil)));
        Client client = new Client(ScramHash.SHA_256, "n,,", "user", PASSWORD);

        assertThat(challenge(step(server, ""))).isEmpty();

        String serverFirst = text(challenge(step(server, client.first())));
        assertThat(success(step(server, client.finalMessage(serverFirst))).account()).isEqualTo(USER);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    static CredentialStore store(Map<BareJid, Credentials> accounts) {
        return account -> Mono.justOrEmpty(accounts.get(account));
    }

    /** Evaluates one message; the contract is exactly one step and completion, never an error signal. */
    static SaslStep step(SaslServer server, String message) {
        AtomicReference<SaslStep> out = new AtomicReference<>();
        StepVerifier.create(server.evaluate(message.getBytes(UTF_8)))
                .consumeNextWith(out::set)
                .verifyComplete();
        return out.get();
    }

    static byte[] challenge(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        return ((SaslStep.Challenge) step).data();
    }

    static SaslStep.Success success(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Success.class);
        return (SaslStep.Success) step;
    }

    static SaslCondition failure(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Failure.class);
        return ((SaslStep.Failure) step).condition();
    }

    static String text(byte[] data) {
        return new String(data, UTF_8);
    }

    static String b64(String s) {
        return b64(s.getBytes(UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** The value of {@code name=} in a SCRAM message. */
    static String attribute(String message, String name) {
        for (String a : message.split(",")) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + "= in " + message);
    }

    /** A SCRAM client as RFC 5802 section 3 computes it. */
    static final class Client {
        final ScramHash hash;
        final String gs2Header;
        final String username;
        final String password;
        final String clientNonce = "cl1ent+n0nce" + Long.toHexString(System.nanoTime());
        private byte[] serverSignature = new byte[0];

        Client(ScramHash hash, String gs2Header, String username, String password) {
            this.hash = hash;
            this.gs2Header = gs2Header;
            this.username = username;
            this.password = password;
        }

        String clientFirstBare() {
            return "n=" + username + ",r=" + clientNonce;
        }

        String first() {
            return gs2Header + clientFirstBare();
        }

        String finalMessage(String serverFirst) {
            return finalMessage(serverFirst, b64(gs2Header), attribute(serverFirst, "r"));
        }

        /** A client-final with these c= and r= values and the proof a client knowing the password computes for it. */
        String finalMessage(String serverFirst, String channelBinding, String nonce) {
            byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, "s"));
            int iterations = Integer.parseInt(attribute(serverFirst, "i"));
            byte[] salted = ScramKeys.saltedPassword(hash, ScramKeys.preparePassword(password), salt, iterations);
            byte[] clientKey = hash.hmac(salted, "Client Key".getBytes(UTF_8));
            byte[] storedKey = hash.hash(clientKey);
            byte[] serverKey = hash.hmac(salted, "Server Key".getBytes(UTF_8));
            String withoutProof = "c=" + channelBinding + ",r=" + nonce;
            byte[] authMessage = (clientFirstBare() + "," + serverFirst + "," + withoutProof).getBytes(UTF_8);
            byte[] clientSignature = hash.hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
            }
            serverSignature = hash.hmac(serverKey, authMessage);
            return withoutProof + ",p=" + b64(proof);
        }

        String expectedServerFinal() {
            return "v=" + b64(serverSignature);
        }
    }
}
