package org.fluxmpp.transport;

/**
 * The life of an {@link XmppConnection}, as {@link XmppConnection#states()} shows it. A connection without
 * reconnection goes {@code ONLINE -> CLOSED}; with it, each lost stream shows as {@code RECONNECTING} followed by
 * {@code ONLINE} again or, when the user closes or gives up, {@code CLOSED}.
 */
public enum ConnectionState {
    /** The stream is negotiated (TLS, SASL, resource binding): stanzas flow. */
    ONLINE,
    /** The stream was lost; a new one is being set up after a backoff. Stanzas sent now fail. */
    RECONNECTING,
    /** The connection is over for good: closed by the user, by the server, or after a failure without retry. */
    CLOSED
}
