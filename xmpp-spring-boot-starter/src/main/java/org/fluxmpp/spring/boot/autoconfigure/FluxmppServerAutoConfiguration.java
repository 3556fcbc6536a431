package org.fluxmpp.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.fluxmpp.router.StanzaRoutes;
import org.fluxmpp.routing.StanzaRouter;
import org.fluxmpp.spring.boot.FluxmppHealthIndicator;
import org.fluxmpp.spring.boot.FluxmppWebSocketHandler;
import org.fluxmpp.spring.boot.FluxmppWebSocketHandlerAdapter;
import org.fluxmpp.spring.boot.XmppServerLifecycle;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;

/**
 * Starts an {@link XmppServer} with the application from {@code fluxmpp.server.*} ({@link FluxmppServerProperties}):
 * the account store (a {@link CredentialStore} bean, or the file {@code fluxmpp.server.credentials.file}), the
 * certificate (a {@link ServerTls} bean, or {@code fluxmpp.server.tls.*}), an {@link org.fluxmpp.router.XmppRouter}
 * with every {@link StanzaRoutes} bean (unless a {@link StanzaRouter} bean is defined), and the Micrometer registry
 * when there is one. In a WebFlux application on Reactor Netty it also serves XMPP over WebSocket (RFC 7395) at
 * {@code fluxmpp.server.websocket.path}, and with Actuator it contributes the {@code fluxmpp} health indicator.
 * {@code fluxmpp.server.enabled=false} turns all of it off.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure"
        + ".CompositeMeterRegistryAutoConfiguration")
@ConditionalOnProperty(prefix = "fluxmpp.server", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FluxmppServerProperties.class)
public class FluxmppServerAutoConfiguration {

    /** The account store named by {@code fluxmpp.server.credentials.file}. */
    @Bean
    @ConditionalOnMissingBean
    CredentialStore fluxmppCredentialStore(FluxmppServerProperties properties) {
        return ServerConfiguration.credentials(properties);
    }

    /** The router for the configured domains, with the application's {@link StanzaRoutes} beans in order. */
    @Bean
    @ConditionalOnMissingBean(StanzaRouter.class)
    StanzaRouter fluxmppRouter(FluxmppServerProperties properties, CredentialStore credentials,
                               ObjectProvider<StanzaRoutes> routes) {
        return ServerConfiguration.router(properties, credentials, routes.orderedStream().toList());
    }

    /** The server, listening while the application runs. */
    @Bean
    @ConditionalOnMissingBean
    XmppServerLifecycle fluxmppServer(FluxmppServerProperties properties, CredentialStore credentials,
                                      StanzaRouter router, ObjectProvider<ServerTls> tls,
                                      ObjectProvider<MeterRegistry> registry) {
        ServerTls certificate = tls.getIfAvailable(
                () -> ServerConfiguration.tls(properties, ServerConfiguration.domains(properties)));
        return new XmppServerLifecycle(ServerConfiguration.server(properties, credentials, router, certificate,
                registry.getIfUnique()));
    }

    /** XMPP over WebSocket on the WebFlux application's port. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass({SimpleUrlHandlerMapping.class, ReactorNettyWebSocketSession.class})
    @ConditionalOnProperty(prefix = "fluxmpp.server.websocket", name = "enabled", matchIfMissing = true)
    static class WebFluxConfiguration {

        @Bean
        @ConditionalOnMissingBean
        FluxmppWebSocketHandler fluxmppWebSocketHandler(XmppServerLifecycle server) {
            return new FluxmppWebSocketHandler(server);
        }

        @Bean
        SimpleUrlHandlerMapping fluxmppWebSocketMapping(FluxmppServerProperties properties,
                                                        FluxmppWebSocketHandler handler) {
            // Ahead of the annotated controllers, so the path is XMPP's whatever else the application maps.
            return new SimpleUrlHandlerMapping(Map.of(properties.getWebsocket().getPath(), handler), -1);
        }

        @Bean
        FluxmppWebSocketHandlerAdapter fluxmppWebSocketHandlerAdapter(FluxmppWebSocketHandler handler) {
            return new FluxmppWebSocketHandlerAdapter(handler.maxMessageBytes());
        }
    }

    /** {@code /actuator/health/fluxmpp}, when the application has Spring Boot's health support. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        /**
         * Nested so that its condition, a class of the health module itself, is only read once the module is known
         * to be there.
         */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnEnabledHealthIndicator("fluxmpp")
        static class Enabled {

            @Bean
            @ConditionalOnMissingBean(name = "fluxmppHealthIndicator")
            FluxmppHealthIndicator fluxmppHealthIndicator(XmppServerLifecycle server) {
                return new FluxmppHealthIndicator(server);
            }
        }
    }
}
