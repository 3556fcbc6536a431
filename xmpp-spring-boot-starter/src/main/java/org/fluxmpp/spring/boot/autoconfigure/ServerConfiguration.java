package org.fluxmpp.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.jid.DomainJid;
import org.fluxmpp.router.StanzaRoutes;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.routing.StanzaRouter;
import org.fluxmpp.transport.SaslMechanism;
import org.fluxmpp.transport.ServerSasl;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.XmppServer;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.jspecify.annotations.Nullable;

/**
 * Maps {@code fluxmpp.server.*} onto the server, router and stores, checking each value as it goes so that a wrong
 * one fails start-up with an {@link InvalidFluxmppPropertyException} naming it.
 */
final class ServerConfiguration {

    private static final String PREFIX = "fluxmpp.server.";

    private ServerConfiguration() {
    }

    /** The served domains, normalised; at least one. */
    static List<String> domains(FluxmppServerProperties properties) {
        List<String> domains = properties.getDomains();
        if (domains.isEmpty()) {
            throw new InvalidFluxmppPropertyException(PREFIX + "domains", null,
                    "name at least one XMPP domain to serve, for example 'example.com'");
        }
        for (int i = 0; i < domains.size(); i++) {
            String property = PREFIX + "domains[" + i + "]";
            String domain = domains.get(i);
            check(property, domain, () -> DomainJid.of(domain));
        }
        return domains.stream().map(d -> DomainJid.of(d).domainpart()).toList();
    }

    static CredentialStore credentials(FluxmppServerProperties properties) {
        Path file = properties.getCredentials().getFile();
        if (file == null) {
            throw new InvalidFluxmppPropertyException(PREFIX + "credentials.file", null,
                    "name the account file (or define a CredentialStore bean)");
        }
        return check(PREFIX + "credentials.file", file, () -> FileCredentialStore.open(file));
    }

    static XmppRouter router(FluxmppServerProperties properties, CredentialStore credentials,
                             List<StanzaRoutes> routes) {
        XmppRouter router = XmppRouter.create().domains(domains(properties)).accounts(credentials::exists);
        router = check(PREFIX + "max-resources-per-account", properties.getMaxResourcesPerAccount(),
                router, r -> r.maxResourcesPerAccount(properties.getMaxResourcesPerAccount()));
        return routes.isEmpty() ? router : router.routes(routes.toArray(StanzaRoutes[]::new));
    }

    /** The certificate from the properties, or {@code null} when none is configured. */
    static @Nullable ServerTls tls(FluxmppServerProperties properties, List<String> domains) {
        FluxmppServerProperties.Tls tls = properties.getTls();
        if (tls.getPkcs12() != null) {
            Path store = tls.getPkcs12();
            readable(PREFIX + "tls.pkcs12", store);
            return check(PREFIX + "tls.pkcs12", store,
                    () -> ServerTls.pkcs12(store, tls.getPkcs12Password().toCharArray()));
        }
        if (tls.getCertificate() != null || tls.getPrivateKey() != null) {
            Path certificate = tls.getCertificate();
            Path key = tls.getPrivateKey();
            if (certificate == null) {
                throw new InvalidFluxmppPropertyException(PREFIX + "tls.certificate", null,
                        "a private key is set without its certificate chain");
            }
            if (key == null) {
                throw new InvalidFluxmppPropertyException(PREFIX + "tls.private-key", null,
                        "a certificate chain is set without its private key");
            }
            readable(PREFIX + "tls.certificate", certificate);
            readable(PREFIX + "tls.private-key", key);
            return check(PREFIX + "tls.certificate", certificate, () -> ServerTls.pem(certificate, key));
        }
        if (tls.isSelfSigned()) {
            return ServerTls.selfSigned(domains.get(0));
        }
        return null;
    }

    static XmppServer server(FluxmppServerProperties properties, CredentialStore credentials, StanzaRouter router,
                             @Nullable ServerTls tls, @Nullable MeterRegistry registry) {
        List<String> domains = domains(properties);
        XmppServer server = XmppServer.create();
        for (String domain : domains) {
            server = server.domain(domain);
        }
        if (properties.getHost() != null) {
            server = server.host(properties.getHost());
        }
        server = check(PREFIX + "port", properties.getPort(), server, s -> s.port(properties.getPort()));
        Integer directTlsPort = properties.getDirectTlsPort();
        if (directTlsPort != null) {
            server = check(PREFIX + "direct-tls-port", directTlsPort, server, s -> s.directTlsPort(directTlsPort));
        }
        Integer webSocketPort = properties.getWebsocket().getPort();
        if (webSocketPort != null) {
            server = check(PREFIX + "websocket.port", webSocketPort, server, s -> s.webSocketPort(webSocketPort));
        }
        String path = properties.getWebsocket().getPath();
        server = check(PREFIX + "websocket.path", path, server, s -> s.webSocketPath(path));
        if (tls != null) {
            server = server.secure(tls);
        } else if (properties.getTls().isRequired() || directTlsPort != null) {
            throw new InvalidFluxmppPropertyException(PREFIX + "tls.certificate", null, "TLS is required ("
                    + PREFIX + "tls.required) but no certificate is configured: set tls.certificate and "
                    + "tls.private-key, tls.pkcs12, or tls.self-signed=true for development");
        }
        server = server.tlsRequired(properties.getTls().isRequired());
        server = check(PREFIX + "negotiation-timeout", properties.getNegotiationTimeout(), server,
                s -> s.negotiationTimeout(properties.getNegotiationTimeout()));
        server = check(PREFIX + "outbound-capacity", properties.getOutboundCapacity(), server,
                s -> s.outboundCapacity(properties.getOutboundCapacity()));
        server = server.limits(limits(properties.getLimits()));
        FluxmppServerProperties.Sasl saslProperties = properties.getSasl();
        server = check(PREFIX + "sasl.max-attempts", saslProperties.getMaxAttempts(), server,
                s -> s.authentication(sasl -> {
                    ServerSasl configured = sasl.credentials(credentials).maxAttempts(saslProperties.getMaxAttempts());
                    for (SaslMechanism mechanism : saslProperties.getMechanisms()) {
                        configured = configured.mechanism(mechanism);
                    }
                    return configured;
                }));
        server = server.router(router);
        return registry == null ? server : server.meterRegistry(registry);
    }

    private static DecoderLimits limits(FluxmppServerProperties.Limits p) {
        String prefix = PREFIX + "limits.";
        long stanzaBytes = p.getMaxStanzaSize().toBytes();
        if (stanzaBytes > Integer.MAX_VALUE) {
            throw new InvalidFluxmppPropertyException(prefix + "max-stanza-size", p.getMaxStanzaSize(),
                    "must be below 2 GB");
        }
        DecoderLimits limits = check(prefix + "max-stanza-size", p.getMaxStanzaSize(),
                () -> DecoderLimits.defaults().withMaxStanzaBytes((int) stanzaBytes));
        limits = check(prefix + "max-depth", p.getMaxDepth(), limits, l -> l.withMaxDepth(p.getMaxDepth()));
        limits = check(prefix + "max-attributes", p.getMaxAttributes(), limits,
                l -> l.withMaxAttributes(p.getMaxAttributes()));
        limits = check(prefix + "max-attribute-value-length", p.getMaxAttributeValueLength(), limits,
                l -> l.withMaxAttributeValueLength(p.getMaxAttributeValueLength()));
        return check(prefix + "max-text-length", p.getMaxTextLength(), limits,
                l -> l.withMaxTextLength(p.getMaxTextLength()));
    }

    private static void readable(String property, Path file) {
        if (!Files.isReadable(file)) {
            throw new InvalidFluxmppPropertyException(property, file, "no readable file there");
        }
    }

    private static <T> T check(String property, Object value, Supplier<T> apply) {
        try {
            return apply.get();
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            // JidFormatException is an IllegalArgumentException: an invalid domain lands here too.
            throw new InvalidFluxmppPropertyException(property, value, String.valueOf(e.getMessage()));
        }
    }

    private static <T> T check(String property, Object value, T target, java.util.function.UnaryOperator<T> apply) {
        return check(property, value, () -> apply.apply(target));
    }
}
