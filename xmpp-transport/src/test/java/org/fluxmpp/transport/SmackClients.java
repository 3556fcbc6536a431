package org.fluxmpp.transport;

import java.util.function.Consumer;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** Logs Smack clients in to a test server over STARTTLS, trusting exactly its certificate. */
final class SmackClients {

    private SmackClients() {
    }

    static XMPPTCPConnection connect(TestServer server, String user, String password) throws Exception {
        return connect(server, user, password, "SCRAM-SHA-1", "smack");
    }

    static XMPPTCPConnection connect(TestServer server, String user, String password, String mechanism,
                                     String resource) throws Exception {
        return connect(server, user, password, mechanism, resource, b -> { });
    }

    static XMPPTCPConnection connect(TestServer server, String user, String password, String mechanism,
                                     String resource, Consumer<XMPPTCPConnectionConfiguration.Builder> customize)
            throws Exception {
        XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(TestServer.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(server.port())
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(TestServer.trustManager())
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
