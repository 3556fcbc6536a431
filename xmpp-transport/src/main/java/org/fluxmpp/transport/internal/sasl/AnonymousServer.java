package org.fluxmpp.transport.internal.sasl;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.fluxmpp.jid.BareJid;
import reactor.core.publisher.Mono;

/**
 * SASL ANONYMOUS (RFC 4505): the client is given a fresh, unguessable JID on the domain; its optional trace
 * message is not used for anything.
 */
public final class AnonymousServer implements SaslServer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String domain;

    /** An exchange for a session on this domain. */
    public AnonymousServer(String domain) {
        this.domain = domain;
    }

    @Override
    public Mono<SaslStep> evaluate(byte[] response) {
        byte[] id = new byte[10];
        RANDOM.nextBytes(id);
        return Mono.just(new SaslStep.Success(BareJid.of("anon-" + HexFormat.of().formatHex(id), domain),
                new byte[0]));
    }
}
