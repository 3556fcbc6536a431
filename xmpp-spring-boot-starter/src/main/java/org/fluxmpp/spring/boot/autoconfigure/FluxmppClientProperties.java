package org.fluxmpp.spring.boot.autoconfigure;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The application's own XMPP client account, {@code fluxmpp.client.*}: with {@code jid} set, the starter offers an
 * {@link org.fluxmpp.transport.XmppClient} bean and connects it when the application starts.
 *
 * <pre>{@code
 * fluxmpp:
 *   client:
 *     jid: bot@example.com/app
 *     password: ${BOT_PASSWORD}
 * }</pre>
 */
@ConfigurationProperties("fluxmpp.client")
public class FluxmppClientProperties {

    /** The account's JID, bare or full (the resource is requested when binding). */
    private @Nullable String jid;

    /** The account's password. */
    private @Nullable String password;

    /** The server's host name or address; by default found with DNS SRV records for the JID's domain. */
    private @Nullable String host;

    /** The server's port, with host; 5222 (or 5223 with direct-tls) when unset. */
    private @Nullable Integer port;

    /** Whether to speak TLS from the first byte (XEP-0368) instead of STARTTLS. */
    private boolean directTls;

    /** A PEM file of certificates to trust instead of the JDK's trust store (a private CA, a self-signed server). */
    private @Nullable Path trustCertificates;

    /** Whether to connect when the application starts (and reconnect when the connection drops). */
    private boolean connectOnStartup = true;

    public @Nullable String getJid() {
        return jid;
    }

    public void setJid(@Nullable String jid) {
        this.jid = jid;
    }

    public @Nullable String getPassword() {
        return password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public @Nullable String getHost() {
        return host;
    }

    public void setHost(@Nullable String host) {
        this.host = host;
    }

    public @Nullable Integer getPort() {
        return port;
    }

    public void setPort(@Nullable Integer port) {
        this.port = port;
    }

    public boolean isDirectTls() {
        return directTls;
    }

    public void setDirectTls(boolean directTls) {
        this.directTls = directTls;
    }

    public @Nullable Path getTrustCertificates() {
        return trustCertificates;
    }

    public void setTrustCertificates(@Nullable Path trustCertificates) {
        this.trustCertificates = trustCertificates;
    }

    public boolean isConnectOnStartup() {
        return connectOnStartup;
    }

    public void setConnectOnStartup(boolean connectOnStartup) {
        this.connectOnStartup = connectOnStartup;
    }
}
