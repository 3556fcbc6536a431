package org.fluxmpp.transport.internal.client;

/**
 * One place to try: a host and port, and whether TLS starts at once (XEP-0368 direct TLS) or after STARTTLS.
 *
 * @param host      a host name or address literal (resolved without blocking when connecting)
 * @param port      the TCP port
 * @param directTls whether to start TLS right after connecting
 */
public record ConnectTarget(String host, int port, boolean directTls) {

    @Override
    public String toString() {
        return host + ":" + port + (directTls ? " (direct TLS)" : "");
    }
}
