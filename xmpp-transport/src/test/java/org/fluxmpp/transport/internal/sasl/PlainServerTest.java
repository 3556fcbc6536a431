package org.fluxmpp.transport.internal.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.challenge;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.failure;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.step;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.store;
import static org.fluxmpp.transport.internal.sasl.ScramServerTest.success;

import java.util.Map;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.SaslCondition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/** SASL PLAIN (RFC 4616) checked against stored SCRAM keys. */
class PlainServerTest {

    private static final String DOMAIN = "example.com";
    private static final BareJid USER = BareJid.of("user", DOMAIN);

    private static CredentialStore store;

    @BeforeAll
    static void accounts() {
        store = store(Map.of(USER, Credentials.fromPassword("pencil")));
    }

    private static PlainServer server() {
        return new PlainServer(DOMAIN, store);
    }

    @Test
    void correctPasswordSucceedsWithTheAccount() {
        SaslStep.Success success = success(step(server(), "\0user\0pencil"));

        assertThat(success.account()).isEqualTo(USER);
        assertThat(success.additionalData()).isEmpty();
    }

    @Test
    void usernameIsNormalised() {
        assertThat(success(step(server(), "\0USER\0pencil")).account()).isEqualTo(USER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\0user\0pencil2", "\0user\0Pencil", "\0user\0pencil ", "\0user\0"})
    void wrongPasswordIsNotAuthorized(String message) {
        assertThat(failure(step(server(), message))).isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"userpencil", "user\0pencil", "\0user\0pencil\0", "a\0user\0pencil\0x"})
    void wrongNumberOfNulsIsMalformed(String message) {
        assertThat(failure(step(server(), message))).isEqualTo(SaslCondition.MALFORMED_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@example.com\0user\0pencil", "USER@Example.COM\0user\0pencil"})
    void authzidEqualToTheAccountIsAccepted(String message) {
        assertThat(success(step(server(), message)).account()).isEqualTo(USER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin@example.com\0user\0pencil", "user@example.net\0user\0pencil",
            "user\0user\0pencil", "user@example.com/res\0user\0pencil", "not a jid\0user\0pencil"})
    void otherAuthzidIsInvalid(String message) {
        assertThat(failure(step(server(), message))).isEqualTo(SaslCondition.INVALID_AUTHZID);
    }

    @Test
    void passwordIsPreparedWithOpaqueString() {
        // OpaqueString (RFC 8265 4.2) maps non-ASCII spaces such as the ideographic (fullwidth) space to U+0020 and
        // normalises to NFC: "e" + combining acute accent is "é".
        CredentialStore prepared = store(Map.of(USER, Credentials.fromPassword("\u00e9t\u00e9 pass")));
        PlainServer server = new PlainServer(DOMAIN, prepared);

        assertThat(success(step(server, "\0user\0e\u0301te\u0301\u3000pass")).account()).isEqualTo(USER);
        assertThat(success(step(new PlainServer(DOMAIN, prepared), "\0user\0\u00e9t\u00e9 pass")).account())
                .isEqualTo(USER);
        assertThat(failure(step(new PlainServer(DOMAIN, prepared), "\0user\0ete pass")))
                .isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @Test
    void passwordStoredInUnpreparedFormMatchesItsPreparedForm() {
        CredentialStore unprepared = store(Map.of(USER, Credentials.fromPassword("e\u0301te\u0301\u3000pass")));

        assertThat(success(step(new PlainServer(DOMAIN, unprepared), "\0user\0\u00e9t\u00e9 pass")).account())
                .isEqualTo(USER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\0nobody\0pencil", "\0\0pencil", "\0us er\0pencil", "\0user@example.com\0pencil"})
    void unknownOrInvalidAccountIsNotAuthorized(String message) {
        assertThat(failure(step(server(), message))).isEqualTo(SaslCondition.NOT_AUTHORIZED);
    }

    @Test
    void storeErrorIsTemporaryAuthFailure() {
        PlainServer server = new PlainServer(DOMAIN, account -> Mono.error(new IllegalStateException("down")));

        assertThat(failure(step(server, "\0user\0pencil"))).isEqualTo(SaslCondition.TEMPORARY_AUTH_FAILURE);
    }

    @Test
    void emptyInitialResponseGetsAnEmptyChallenge() {
        assertThat(challenge(step(server(), ""))).isEmpty();
    }
}
