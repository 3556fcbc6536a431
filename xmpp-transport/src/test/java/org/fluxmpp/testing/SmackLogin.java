package org.fluxmpp.testing;

import java.util.function.Consumer;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * Logs a Smack client (the real peer of the interop tests) in over STARTTLS on 127.0.0.1, trusting exactly the test
 * server's certificate, without sending initial presence. Shared through xmpp-transport's test-jar; the caller's
 * module brings {@code smack-tcp} and {@code smack-java11}.
 */
public final class SmackLogin {

    private SmackLogin() {
    }

    /** Logs in with SCRAM-SHA-1 to {@code localhost} on this port. */
    public static XMPPTCPConnection tcp(int port, X509TrustManager trust, String user, String password,
                                        String resource) throws Exception {
        return tcp("localhost", port, trust, user, password, "SCRAM-SHA-1", resource, b -> { });
    }

    /** Logs in with this mechanism, after {@code customize} has had its say on the configuration. */
    public static XMPPTCPConnection tcp(String domain, int port, X509TrustManager trust, String user,
                                        String password, String mechanism, String resource,
                                        Consumer<XMPPTCPConnectionConfiguration.Builder> customize) throws Exception {
        XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(domain)
                .setHost("127.0.0.1")
                .setPort(port)
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(trust)
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .addEnabledSaslMechanism(mechanism)
                .setSendPresence(false);
        customize.accept(b);
        XMPPTCPConnection c = new XMPPTCPConnection(b.build());
        c.connect().login();
        return c;
    }
}
