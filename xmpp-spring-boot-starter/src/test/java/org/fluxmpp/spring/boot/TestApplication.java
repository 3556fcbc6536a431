package org.fluxmpp.spring.boot;

import org.fluxmpp.router.StanzaRoutes;
import org.fluxmpp.xml.XmlElement;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/** A WebFlux application that adds nothing but the starter and one route of its own. */
@SpringBootApplication
class TestApplication {

    static final String NAMESPACE = "urn:example:greeting";

    /** A route the starter must hand to the server's router: answers {@code <greeting/>} IQs. */
    @Bean
    StanzaRoutes greetingRoutes() {
        return StanzaRoutes.route()
                .iqGet(NAMESPACE, "greeting", (iq, session) -> Mono.just(iq.result(
                        XmlElement.builder(NAMESPACE, "greeting").text("hello " + session.jid().localpart()).build())))
                .build();
    }
}
