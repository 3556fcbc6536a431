package org.fluxmpp.router;

/**
 * What {@link XmppRouter#bind} does when a new session asks for a full JID that another session already holds
 * (RFC 6120 section 7.7.2.2, resource conflict).
 *
 * <pre>{@code
 * XmppRouter router = XmppRouter.create().domain("example.com").conflictPolicy(ConflictPolicy.REJECT_NEW);
 * }</pre>
 */
public enum ConflictPolicy {

    /**
     * The new session wins: it takes the JID, and the old session is closed with the {@code <conflict/>} stream
     * error (RFC 6120 sections 4.9.3.3 and 7.7.2.2). The default, as most servers do, so that a client reconnecting
     * after a network change is not locked out by its own dead session.
     */
    REPLACE_OLD,

    /**
     * The old session keeps the JID: the bind fails with {@link org.fluxmpp.stanza.StanzaErrorException} carrying
     * the {@code <conflict/>} stanza error (RFC 6120 section 7.7.2.2), which the transport returns as the bind
     * IQ's error.
     */
    REJECT_NEW
}
