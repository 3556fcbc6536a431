package org.fluxmpp.transport.internal.client;

import java.io.IOException;

/**
 * The domain's DNS says it offers no XMPP client service: its SRV answer was the single record with target
 * {@code "."} (RFC 2782: "the service is decidedly not available at this domain") and no other record names a
 * server. RFC 6120 section 3.2.1 and XEP-0368 forbid falling back to the domain's A/AAAA records in this case, so
 * connecting fails.
 */
public final class ServiceNotAvailableException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String domain;

    /** An exception for this XMPP domain. */
    public ServiceNotAvailableException(String domain) {
        super("the DNS of " + domain + " says it offers no XMPP client service (SRV target \".\")");
        this.domain = domain;
    }

    /** The XMPP domain whose DNS declined. */
    public String domain() {
        return domain;
    }
}
