package org.fluxmpp.transport.internal.client;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One place to try to connect to, in the order {@link ServerLookup} found them: a host name (resolved to addresses
 * only when connecting), a TCP port, and whether TLS starts with the first byte (direct TLS, XEP-0368) or is
 * negotiated with STARTTLS (RFC 6120 section 5).
 *
 * @param host      a host name or address literal, resolved without blocking when connecting: an SRV record's
 *                  target (no trailing dot), the XMPP domain itself when there were no SRV records, or a host
 *                  the user set
 * @param port      the TCP port, 1 to 65535
 * @param directTls {@code true} for an {@code _xmpps-client} target (TLS first, ALPN {@code xmpp-client}, SNI the
 *                  XMPP domain); {@code false} for {@code _xmpp-client} and the fallback (STARTTLS)
 */
public record ConnectTarget(String host, int port, boolean directTls) {

    /** The port RFC 6120 section 3.2.2 falls back to when there are no SRV records: {@value}. */
    public static final int DEFAULT_PORT = 5222;

    /** Checks the host and the port. */
    public ConnectTarget {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The RFC 6120 section 3.2.2 fallback: the XMPP domain itself, port {@value #DEFAULT_PORT}, STARTTLS. */
    public static ConnectTarget fallback(String domain) {
        return new ConnectTarget(domain, DEFAULT_PORT, false);
    }

    /**
     * Where a {@code see-other-host} stream error (RFC 6120 4.9.3.19) sends the client: a domain name or an IP
     * address (IPv6 in brackets) with an optional {@code :port}, else 5222 (5223 with direct TLS).
     *
     * @return the target, or {@code null} when the text is not a host with an optional port
     */
    public static @Nullable ConnectTarget seeOtherHost(String text, boolean directTls) {
        String host = text.strip();
        int port = directTls ? 5223 : DEFAULT_PORT;
        String portText = null;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) {
                return null;
            }
            String rest = host.substring(end + 1);
            host = host.substring(1, end);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0) {
                if (host.indexOf(':', colon + 1) >= 0) {
                    return null; // an IPv6 address must be in brackets
                }
                portText = host.substring(colon + 1);
                host = host.substring(0, colon);
            }
        }
        try {
            if (portText != null) {
                port = Integer.parseInt(portText);
            }
            return new ConnectTarget(host, port, directTls);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return host + ":" + port + (directTls ? " (direct TLS)" : "");
    }
}
