package org.fluxmpp.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * A WebFlux application on plain HTTP behind a TLS-terminating proxy whose forwarded headers it trusts
 * ({@code server.forward-headers-strategy=native}): a WebSocket request the proxy received over https counts as
 * {@code wss} (PLAIN offered, -PLUS not, as there is no TLS channel to bind to); one that says nothing of https is
 * plain {@code ws} and ends with {@code policy-violation}, TLS being required. The client here is reactor-netty's
 * WebSocket client, adding {@code X-Forwarded-Proto} as the proxy would.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FluxmppBehindProxyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String OPEN =
            "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.forward-headers-strategy", () -> "native");
        registry.add("fluxmpp.server.domains", () -> "localhost");
        registry.add("fluxmpp.server.host", () -> "127.0.0.1");
        registry.add("fluxmpp.server.port", () -> 0);
        registry.add("fluxmpp.server.tls.certificate", () -> TestCertificates.CERTIFICATE.toString());
        registry.add("fluxmpp.server.tls.private-key", () -> TestCertificates.KEY.toString());
        registry.add("fluxmpp.server.credentials.file", () -> TestCertificates.ACCOUNTS.toString());
    }

    @LocalServerPort
    int httpPort;

    @Test
    void aRequestTheProxyReceivedOverHttpsIsWss() {
        List<String> messages = openStream(true);
        assertThat(messages.get(0)).startsWith("<open ");
        assertThat(messages.get(1)).contains("<mechanism>PLAIN</mechanism>")
                .contains("<mechanism>SCRAM-SHA-256</mechanism>").doesNotContain("-PLUS").doesNotContain("starttls");
    }

    @Test
    void aPlainRequestIsRefusedWhileTlsIsRequired() {
        List<String> messages = openStream(false);
        assertThat(messages.get(1)).contains("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
    }

    /** Opens a stream over plain ws and returns the first two messages the server sends. */
    private List<String> openStream(boolean forwardedHttps) {
        return HttpClient.create()
                .headers(h -> {
                    if (forwardedHttps) {
                        h.set("X-Forwarded-Proto", "https");
                    }
                })
                .websocket(WebsocketClientSpec.builder().protocols("xmpp").build())
                .uri("ws://127.0.0.1:" + httpPort + "/xmpp-websocket")
                .handle((in, out) -> Flux.merge(out.sendString(Mono.just(OPEN)).then().then(Mono.<String>empty()),
                        in.aggregateFrames().receive().asString().take(2)))
                .collectList()
                .block(TIMEOUT);
    }
}
