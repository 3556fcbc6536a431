package org.fluxmpp.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.router.XmppRouter;
import org.fluxmpp.transport.SaslMechanism;
import org.fluxmpp.transport.ServerSasl;
import org.fluxmpp.transport.XmppServer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The embedded XMPP server's settings, {@code fluxmpp.server.*} in {@code application.yml}. Secure by default: TLS is
 * required before SASL, PLAIN only inside TLS.
 *
 * <pre>{@code
 * fluxmpp:
 *   server:
 *     domains: [example.com]
 *     port: 5222
 *     tls:
 *       certificate: /etc/fluxmpp/cert.pem
 *       private-key: /etc/fluxmpp/key.pem
 *     credentials:
 *       file: /var/lib/fluxmpp/accounts.txt
 * }</pre>
 *
 * <p>A value the server cannot use fails start-up with a message that names the property.
 */
@ConfigurationProperties("fluxmpp.server")
public class FluxmppServerProperties {

    /** Whether to start the XMPP server with the application. */
    private boolean enabled = true;

    /** The XMPP domains served (RFC 7622 domainparts); a stream to another gets host-unknown. Required. */
    private List<String> domains = new ArrayList<>();

    /** The local address to listen on; every interface when unset. */
    private @Nullable String host;

    /** The client-to-server (STARTTLS) port; 0 picks a free one. */
    private int port = XmppServer.DEFAULT_PORT;

    /** The direct TLS port (XEP-0368), for example 5223; off when unset. */
    private @Nullable Integer directTlsPort;

    /** How long a stream may take from connection to bound resource before it ends with connection-timeout. */
    private Duration negotiationTimeout = XmppServer.DEFAULT_NEGOTIATION_TIMEOUT;

    /** Stanzas that may wait for a slow client; one more ends its stream with policy-violation. */
    private int outboundCapacity = XmppServer.DEFAULT_OUTBOUND_CAPACITY;

    /** The most resources (sessions) one account may bind at once; one more gets resource-constraint. */
    private int maxResourcesPerAccount = XmppRouter.DEFAULT_MAX_RESOURCES;

    private final Limits limits = new Limits();
    private final Tls tls = new Tls();
    private final Sasl sasl = new Sasl();
    private final Credentials credentials = new Credentials();
    private final WebSocket websocket = new WebSocket();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getDomains() {
        return domains;
    }

    public void setDomains(List<String> domains) {
        this.domains = domains;
    }

    public @Nullable String getHost() {
        return host;
    }

    public void setHost(@Nullable String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public @Nullable Integer getDirectTlsPort() {
        return directTlsPort;
    }

    public void setDirectTlsPort(@Nullable Integer directTlsPort) {
        this.directTlsPort = directTlsPort;
    }

    public Duration getNegotiationTimeout() {
        return negotiationTimeout;
    }

    public void setNegotiationTimeout(Duration negotiationTimeout) {
        this.negotiationTimeout = negotiationTimeout;
    }

    public int getOutboundCapacity() {
        return outboundCapacity;
    }

    public void setOutboundCapacity(int outboundCapacity) {
        this.outboundCapacity = outboundCapacity;
    }

    public int getMaxResourcesPerAccount() {
        return maxResourcesPerAccount;
    }

    public void setMaxResourcesPerAccount(int maxResourcesPerAccount) {
        this.maxResourcesPerAccount = maxResourcesPerAccount;
    }

    public Limits getLimits() {
        return limits;
    }

    public Tls getTls() {
        return tls;
    }

    public Sasl getSasl() {
        return sasl;
    }

    public Credentials getCredentials() {
        return credentials;
    }

    public WebSocket getWebsocket() {
        return websocket;
    }

    /**
     * What a client's XML may hold (the decoder's limits); crossing one ends its stream with policy-violation
     * (RFC 6120 4.9.3.14).
     */
    public static class Limits {

        /** The largest first-level element (stanza) a client may send. */
        private DataSize maxStanzaSize = DataSize.ofBytes(DecoderLimits.DEFAULT_MAX_STANZA_BYTES);

        /** The deepest element nesting within a stanza. */
        private int maxDepth = DecoderLimits.DEFAULT_MAX_DEPTH;

        /** The most attributes on one element. */
        private int maxAttributes = DecoderLimits.DEFAULT_MAX_ATTRIBUTES;

        /** The longest attribute value, in characters. */
        private int maxAttributeValueLength = DecoderLimits.DEFAULT_MAX_ATTRIBUTE_VALUE_LENGTH;

        /** The longest run of text, in characters. */
        private int maxTextLength = DecoderLimits.DEFAULT_MAX_TEXT_LENGTH;

        public DataSize getMaxStanzaSize() {
            return maxStanzaSize;
        }

        public void setMaxStanzaSize(DataSize maxStanzaSize) {
            this.maxStanzaSize = maxStanzaSize;
        }

        public int getMaxDepth() {
            return maxDepth;
        }

        public void setMaxDepth(int maxDepth) {
            this.maxDepth = maxDepth;
        }

        public int getMaxAttributes() {
            return maxAttributes;
        }

        public void setMaxAttributes(int maxAttributes) {
            this.maxAttributes = maxAttributes;
        }

        public int getMaxAttributeValueLength() {
            return maxAttributeValueLength;
        }

        public void setMaxAttributeValueLength(int maxAttributeValueLength) {
            this.maxAttributeValueLength = maxAttributeValueLength;
        }

        public int getMaxTextLength() {
            return maxTextLength;
        }

        public void setMaxTextLength(int maxTextLength) {
            this.maxTextLength = maxTextLength;
        }
    }

    /** The server's certificate: PEM files, a PKCS#12 store, or a generated development certificate. */
    public static class Tls {

        /** Whether clients must negotiate TLS before SASL. Turn off only for tests on loopback. */
        private boolean required = true;

        /** PEM file with the certificate chain, leaf first (with private-key). */
        private @Nullable Path certificate;

        /** PEM file with the PKCS#8 private key (with certificate). */
        private @Nullable Path privateKey;

        /** PKCS#12 key store with the key and its chain (instead of PEM files). */
        private @Nullable Path pkcs12;

        /** Password of the PKCS#12 key store. */
        private String pkcs12Password = "";

        /**
         * Generate a self-signed ECDSA P-256 certificate for the first domain at start-up, for development: clients
         * will not trust it unless told to.
         */
        private boolean selfSigned;

        public boolean isRequired() {
            return required;
        }

        public void setRequired(boolean required) {
            this.required = required;
        }

        public @Nullable Path getCertificate() {
            return certificate;
        }

        public void setCertificate(@Nullable Path certificate) {
            this.certificate = certificate;
        }

        public @Nullable Path getPrivateKey() {
            return privateKey;
        }

        public void setPrivateKey(@Nullable Path privateKey) {
            this.privateKey = privateKey;
        }

        public @Nullable Path getPkcs12() {
            return pkcs12;
        }

        public void setPkcs12(@Nullable Path pkcs12) {
            this.pkcs12 = pkcs12;
        }

        public String getPkcs12Password() {
            return pkcs12Password;
        }

        public void setPkcs12Password(String pkcs12Password) {
            this.pkcs12Password = pkcs12Password;
        }

        public boolean isSelfSigned() {
            return selfSigned;
        }

        public void setSelfSigned(boolean selfSigned) {
            this.selfSigned = selfSigned;
        }
    }

    /** SASL (RFC 6120 section 6). */
    public static class Sasl {

        /**
         * The mechanisms offered, in order, for example [scram-sha-256, scram-sha-1, plain]; by default SCRAM-SHA-512,
         * -256 and -1, each with and without -PLUS, then PLAIN (only inside TLS).
         */
        private List<SaslMechanism> mechanisms = new ArrayList<>();

        /** Failed authentications allowed on one stream before it ends with policy-violation. */
        private int maxAttempts = ServerSasl.DEFAULT_MAX_ATTEMPTS;

        public List<SaslMechanism> getMechanisms() {
            return mechanisms;
        }

        public void setMechanisms(List<SaslMechanism> mechanisms) {
            this.mechanisms = mechanisms;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }
    }

    /** Where accounts live, unless the application defines a CredentialStore bean. */
    public static class Credentials {

        /**
         * The account file (SCRAM keys, never passwords), shared with the demo server's adduser and deluser; created
         * when missing and re-read within a second when it changes.
         */
        private @Nullable Path file;

        public @Nullable Path getFile() {
            return file;
        }

        public void setFile(@Nullable Path file) {
            this.file = file;
        }
    }

    /** XMPP over WebSocket (RFC 7395). */
    public static class WebSocket {

        /** Whether a WebFlux application serves XMPP over WebSocket at the path, on its own (HTTPS) port. */
        private boolean enabled = true;

        /** The path of XMPP over WebSocket, in the WebFlux application and on the stand-alone port. */
        private String path = XmppServer.DEFAULT_WEBSOCKET_PATH;

        /** A stand-alone WebSocket port of the XMPP server (wss with its certificate), beside WebFlux's; off when unset. */
        private @Nullable Integer port;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public @Nullable Integer getPort() {
            return port;
        }

        public void setPort(@Nullable Integer port) {
            this.port = port;
        }
    }
}
