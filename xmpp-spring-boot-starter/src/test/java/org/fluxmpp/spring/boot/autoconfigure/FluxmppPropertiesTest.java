package org.fluxmpp.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.fluxmpp.spring.boot.FluxmppHealthIndicator;
import org.fluxmpp.spring.boot.XmppClientLifecycle;
import org.fluxmpp.spring.boot.XmppServerLifecycle;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What {@code fluxmpp.*} properties do, and that a value the server cannot use fails start-up with a message naming
 * the property (and Spring Boot's failure report saying which to change); the generated configuration metadata.
 */
class FluxmppPropertiesTest {

    @TempDir
    static Path dir;
    private static Path cert;
    private static Path key;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FluxmppServerAutoConfiguration.class,
                    FluxmppClientAutoConfiguration.class));

    @BeforeAll
    static void certificate() {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        ServerTls.writeSelfSigned("localhost", cert, key);
    }

    private ApplicationContextRunner valid(String... more) {
        return runner.withPropertyValues("fluxmpp.server.domains=localhost", "fluxmpp.server.port=0",
                "fluxmpp.server.host=127.0.0.1", "fluxmpp.server.credentials.file=" + dir.resolve("accounts.txt"),
                "fluxmpp.server.tls.certificate=" + cert, "fluxmpp.server.tls.private-key=" + key)
                .withPropertyValues(more);
    }

    @Test
    void validPropertiesStartTheServer() {
        valid("fluxmpp.server.sasl.mechanisms=scram-sha-256,plain", "fluxmpp.server.limits.max-stanza-size=64KB",
                "fluxmpp.server.limits.max-depth=8", "fluxmpp.server.limits.max-text-length=1000")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    XmppServerLifecycle server = context.getBean(XmppServerLifecycle.class);
                    assertThat(server.isRunning()).isTrue();
                    assertThat(server.server().port()).isPositive();
                    assertThat(server.config().sasl().mechanisms()).extracting(m -> m.mechanismName())
                            .containsExactly("SCRAM-SHA-256", "PLAIN");
                    assertThat(server.config().limits().maxStanzaBytes()).isEqualTo(64 * 1024);
                    assertThat(server.config().limits().maxDepth()).isEqualTo(8);
                    assertThat(server.config().limits().maxTextLength()).isEqualTo(1000);
                    assertThat(context).doesNotHaveBean(XmppClient.class);
                    FluxmppHealthIndicator health = context.getBean(FluxmppHealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    server.stop();
                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.health().getDetails()).containsEntry("reason", "not running");
                });
    }

    @Test
    void directTlsAndAStandAloneWebSocketPortAreBoundWhenSet() {
        valid("fluxmpp.server.direct-tls-port=0", "fluxmpp.server.websocket.port=0",
                "fluxmpp.server.websocket.path=/ws", "fluxmpp.server.negotiation-timeout=5s",
                "fluxmpp.server.outbound-capacity=10", "fluxmpp.server.sasl.max-attempts=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    XmppServerLifecycle server = context.getBean(XmppServerLifecycle.class);
                    assertThat(server.server().directTlsPort()).isPositive();
                    assertThat(server.server().webSocketPort()).isPositive();
                    assertThat(server.config().webSocketPath()).isEqualTo("/ws");
                    assertThat(server.config().negotiationTimeout()).hasSeconds(5);
                    assertThat(server.config().outboundCapacity()).isEqualTo(10);
                    assertThat(server.config().sasl().maxAttempts()).isEqualTo(1);
                });
    }

    @Test
    void aLimitOutOfRangeNamesTheProperty() {
        valid("fluxmpp.server.limits.max-depth=0")
                .run(context -> assertFailsNaming(context.getStartupFailure(), "fluxmpp.server.limits.max-depth"));
    }

    @Test
    void aWebSocketPathWithoutASlashNamesTheProperty() {
        valid("fluxmpp.server.websocket.path=xmpp")
                .run(context -> assertFailsNaming(context.getStartupFailure(), "fluxmpp.server.websocket.path"));
    }

    @Test
    void withoutWebFluxAndActuatorTheServerStillRuns() {
        // A plain (non-web) application: no WebFlux, no Actuator on the class path.
        valid().withClassLoader(new FilteredClassLoader("org.springframework.web.reactive",
                        "org.springframework.boot.health"))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(FluxmppHealthIndicator.class);
                    assertThat(context.getBean(XmppServerLifecycle.class).isRunning()).isTrue();
                });
    }

    @Test
    void disabledMeansNoServer() {
        runner.withPropertyValues("fluxmpp.server.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(XmppServerLifecycle.class));
    }

    @Test
    void noDomainNamesTheProperty() {
        runner.withPropertyValues("fluxmpp.server.credentials.file=" + dir.resolve("a.txt"))
                .run(context -> assertFailsNaming(context.getStartupFailure(), "fluxmpp.server.domains"));
    }

    @Test
    void anInvalidDomainNamesTheProperty() {
        valid("fluxmpp.server.domains=localhost,exa mple.com")
                .run(context -> assertFailsNaming(context.getStartupFailure(), "fluxmpp.server.domains[1]"));
    }

    @Test
    void aPortOutOfRangeNamesTheProperty() {
        valid("fluxmpp.server.port=70000")
                .run(context -> assertFailsNaming(context.getStartupFailure(), "fluxmpp.server.port"));
    }

    @Test
    void aPortThatIsNotANumberNamesTheProperty() {
        valid("fluxmpp.server.port=five")
                .run(context -> {
                    Throwable failure = context.getStartupFailure();
                    BindException bind = findCause(failure, BindException.class);
                    assertThat(bind).isNotNull();
                    assertThat(bind.getMessage()).contains("fluxmpp.server");
                    assertThat(bind.getProperty().getName().toString()).isEqualTo("fluxmpp.server.port");
                });
    }

    @Test
    void noAccountFileNamesTheProperty() {
        runner.withPropertyValues("fluxmpp.server.domains=localhost")
                .run(context -> assertFailsNaming(context.getStartupFailure(), "fluxmpp.server.credentials.file"));
    }

    @Test
    void tlsRequiredWithoutACertificateNamesTheProperty() {
        runner.withPropertyValues("fluxmpp.server.domains=localhost",
                        "fluxmpp.server.credentials.file=" + dir.resolve("b.txt"))
                .run(context -> assertFailsNaming(context.getStartupFailure(), "fluxmpp.server.tls.certificate"));
    }

    @Test
    void aMissingCertificateFileNamesTheProperty() {
        valid("fluxmpp.server.tls.certificate=" + dir.resolve("nowhere.pem"))
                .run(context -> assertFailsNaming(context.getStartupFailure(), "fluxmpp.server.tls.certificate"));
    }

    @Test
    void anInvalidClientJidNamesTheProperty() {
        valid("fluxmpp.client.jid=@@", "fluxmpp.client.password=x")
                .run(context -> assertFailsNaming(context.getStartupFailure(), "fluxmpp.client.jid"));
    }

    @Test
    void aClientWithoutConnectOnStartupIsOnlyConfigured() {
        valid("fluxmpp.client.jid=bot@localhost", "fluxmpp.client.password=x",
                "fluxmpp.client.connect-on-startup=false")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(XmppClient.class)
                        .doesNotHaveBean(XmppClientLifecycle.class));
    }

    @Test
    void metadataDescribesTheProperties() throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(json).contains("\"name\": \"fluxmpp.server.domains\"")
                .contains("\"name\": \"fluxmpp.server.tls.certificate\"")
                .contains("\"name\": \"fluxmpp.server.websocket.path\"")
                .contains("\"name\": \"fluxmpp.client.jid\"")
                .contains("The XMPP domains served");
    }

    private static void assertFailsNaming(Throwable failure, String property) {
        InvalidFluxmppPropertyException invalid = findCause(failure, InvalidFluxmppPropertyException.class);
        assertThat(invalid).as("start-up failure %s", failure).isNotNull();
        assertThat(invalid.property()).isEqualTo(property);
        assertThat(invalid.getMessage()).contains("'" + property + "'");
        FailureAnalysis analysis = new FluxmppPropertyFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains(property);
        assertThat(analysis.getAction()).contains(property);
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
