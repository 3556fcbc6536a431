package org.fluxmpp.transport.internal.sasl;

import java.nio.charset.StandardCharsets;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.SaslCondition;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * SASL PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL passwd}, checked against the stored SCRAM keys. Offered
 * only inside TLS.
 */
public final class PlainServer implements SaslServer {

    private final String domain;
    private final CredentialStore store;

    /** An exchange for accounts of this domain. */
    public PlainServer(String domain, CredentialStore store) {
        this.domain = domain;
        this.store = store;
    }

    @Override
    public Mono<SaslStep> evaluate(byte[] response) {
        if (response.length == 0) {
            // RFC 4616 has no server challenge; an empty initial response means "send me a challenge".
            return Mono.just(new SaslStep.Challenge(new byte[0]));
        }
        String message = new String(response, StandardCharsets.UTF_8);
        int first = message.indexOf('\0');
        int second = first < 0 ? -1 : message.indexOf('\0', first + 1);
        if (first < 0 || second < 0 || message.indexOf('\0', second + 1) >= 0) {
            return failure(SaslCondition.MALFORMED_REQUEST, "expected authzid NUL authcid NUL password");
        }
        String authzid = message.substring(0, first);
        String authcid = message.substring(first + 1, second);
        String password = message.substring(second + 1);
        BareJid account;
        try {
            account = BareJid.of(authcid, domain);
        } catch (JidFormatException e) {
            return failure(SaslCondition.NOT_AUTHORIZED, null);
        }
        if (!authzid.isEmpty() && !authzid.equals(account.toString())) {
            BareJid requested = BareJid.parseOrNull(authzid);
            if (!account.equals(requested)) {
                return failure(SaslCondition.INVALID_AUTHZID, null);
            }
        }
        return store.find(account)
                // PBKDF2 over thousands of iterations is milliseconds of CPU: keep it off the event loop.
                .publishOn(Schedulers.parallel())
                .map(c -> c.matches(password)
                        ? (SaslStep) new SaslStep.Success(account, new byte[0])
                        : new SaslStep.Failure(SaslCondition.NOT_AUTHORIZED, null))
                .defaultIfEmpty(new SaslStep.Failure(SaslCondition.NOT_AUTHORIZED, null))
                .onErrorResume(e -> Mono.just(new SaslStep.Failure(SaslCondition.TEMPORARY_AUTH_FAILURE, null)));
    }

    private static Mono<SaslStep> failure(SaslCondition condition, @org.jspecify.annotations.Nullable String text) {
        return Mono.just(new SaslStep.Failure(condition, text));
    }
}
