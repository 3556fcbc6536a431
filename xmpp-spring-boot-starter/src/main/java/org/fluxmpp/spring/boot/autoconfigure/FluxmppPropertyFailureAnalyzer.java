package org.fluxmpp.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InvalidFluxmppPropertyException} into Spring Boot's start-up failure report. */
class FluxmppPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidFluxmppPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidFluxmppPropertyException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set '" + cause.property() + "' in your configuration (application.yml, environment) to a value "
                        + "that fits; the properties are documented in the IDE and in Fluxmpp's README.",
                cause);
    }
}
