package org.fluxmpp.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.spring.boot.XmppClientLifecycle;
import org.fluxmpp.transport.XmppClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * An {@link XmppClient} bean from {@code fluxmpp.client.*} ({@link FluxmppClientProperties}) when
 * {@code fluxmpp.client.jid} is set, and an {@link XmppClientLifecycle} that connects it when the application starts
 * (after an embedded server) unless {@code fluxmpp.client.connect-on-startup=false}. The client reconnects with
 * backoff ({@value #MIN_BACKOFF_SECONDS} s to {@value #MAX_BACKOFF_SECONDS} s) when the connection drops.
 */
@AutoConfiguration(after = FluxmppServerAutoConfiguration.class)
@ConditionalOnProperty(prefix = "fluxmpp.client", name = "jid")
@EnableConfigurationProperties(FluxmppClientProperties.class)
public class FluxmppClientAutoConfiguration {

    static final int MIN_BACKOFF_SECONDS = 1;
    static final int MAX_BACKOFF_SECONDS = 60;
    private static final String PREFIX = "fluxmpp.client.";

    /** The client, configured but not connected. */
    @Bean
    @ConditionalOnMissingBean
    XmppClient fluxmppClient(FluxmppClientProperties properties) {
        String jid = properties.getJid();
        XmppClient client;
        try {
            client = XmppClient.create().jid(String.valueOf(jid));
        } catch (JidFormatException e) {
            throw new InvalidFluxmppPropertyException(PREFIX + "jid", jid, String.valueOf(e.getMessage()));
        }
        String password = properties.getPassword();
        if (password == null) {
            throw new InvalidFluxmppPropertyException(PREFIX + "password", null, "the account's password is needed");
        }
        client = client.password(password);
        if (properties.getHost() != null) {
            client = client.host(properties.getHost());
        }
        Integer port = properties.getPort();
        if (port != null) {
            try {
                client = client.port(port);
            } catch (IllegalArgumentException e) {
                throw new InvalidFluxmppPropertyException(PREFIX + "port", port, String.valueOf(e.getMessage()));
            }
        }
        client = client.directTls(properties.isDirectTls());
        Path trust = properties.getTrustCertificates();
        if (trust != null) {
            try {
                client = client.secure(tls -> tls.trustCertificates(trust));
            } catch (RuntimeException e) {
                throw new InvalidFluxmppPropertyException(PREFIX + "trust-certificates", trust,
                        String.valueOf(e.getMessage()));
            }
        }
        return client.reconnect(Duration.ofSeconds(MIN_BACKOFF_SECONDS), Duration.ofSeconds(MAX_BACKOFF_SECONDS));
    }

    /** The client's connection, made when the application starts. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "fluxmpp.client", name = "connect-on-startup", matchIfMissing = true)
    XmppClientLifecycle fluxmppClientConnection(XmppClient client) {
        return new XmppClientLifecycle(client);
    }
}
