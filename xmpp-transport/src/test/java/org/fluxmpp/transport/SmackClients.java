package org.fluxmpp.transport;

import java.util.function.Consumer;
import javax.net.ssl.X509TrustManager;
import org.fluxmpp.testing.SmackLogin;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** Logs Smack clients in to a test server (ours or Prosody) over STARTTLS, trusting exactly its certificate. */
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
        return connect(TestServer.DOMAIN, server.port(), TestServer.trustManager(), user, password, mechanism,
                resource, customize);
    }

    /** Logs in to a Prosody fixture over STARTTLS, trusting exactly its certificate. */
    static XMPPTCPConnection connect(Prosody prosody, String user, String password, String mechanism,
                                     String resource) throws Exception {
        return connect(prosody.domain(), prosody.port(), prosody.trustManager(), user, password, mechanism,
                resource, b -> { });
    }

    private static XMPPTCPConnection connect(String domain, int port, X509TrustManager trust, String user,
                                             String password, String mechanism, String resource,
                                             Consumer<XMPPTCPConnectionConfiguration.Builder> customize)
            throws Exception {
        return SmackLogin.tcp(domain, port, trust, user, password, mechanism, resource, customize);
    }
}
