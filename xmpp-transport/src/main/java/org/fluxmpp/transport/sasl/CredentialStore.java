package org.fluxmpp.transport.sasl;

import org.fluxmpp.jid.BareJid;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the server looks up accounts' SCRAM keys. Lookups return a {@code Mono} so that a store backed by a database
 * or a directory never blocks a Netty event loop.
 *
 * <pre>{@code
 * CredentialStore store = account -> Mono.justOrEmpty(myMap.get(account));
 * XmppServer.create().authentication(sasl -> sasl.credentials(store));
 * }</pre>
 */
@FunctionalInterface
public interface CredentialStore {

    /**
     * The credentials of an account.
     *
     * @param account the account's bare JID ({@code localpart@domain}), already normalised
     * @return the credentials, empty when there is no such account; an error signal is answered with the SASL
     *         failure {@code temporary-auth-failure}
     */
    Mono<Credentials> find(BareJid account);

    /** Whether the account exists. */
    default Mono<Boolean> exists(BareJid account) {
        return find(account).hasElement();
    }

    /**
     * The accounts removed from now on, so that a server can end their live sessions (as {@code deluser} on a
     * running server expects). Hot: each subscriber sees the removals after it subscribed. By default none.
     */
    default Flux<BareJid> removals() {
        return Flux.empty();
    }
}
