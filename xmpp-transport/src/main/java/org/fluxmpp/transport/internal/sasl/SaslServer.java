package org.fluxmpp.transport.internal.sasl;

import reactor.core.publisher.Mono;

/** The server side of one SASL exchange (RFC 6120 section 6.4): fed the client's messages in order. */
public interface SaslServer {

    /**
     * Processes the initial response (empty array when the client sent none) or a later response.
     *
     * @return the next step; never an error signal (failures are a {@link SaslStep.Failure})
     */
    Mono<SaslStep> evaluate(byte[] response);
}
