package org.fluxmpp.router;

import java.util.List;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.session.XmppSession;
import org.jspecify.annotations.Nullable;

/**
 * The bound sessions of a server, by full JID and by account (RFC 6120 section 7: one session per full JID).
 *
 * <p>An interface so that a clustered registry can replace {@link InMemorySessionRegistry} without touching the
 * router or the transport. Implementations are thread-safe: sessions bind and unbind on any thread while stanzas
 * are routed on others. Sessions are compared by identity, never by {@code equals}, so a stale session can never
 * remove the one that replaced it.
 *
 * <pre>{@code
 * SessionRegistry registry = new InMemorySessionRegistry();
 * XmppSession displaced = registry.put(session);          // non-null when session.jid() was taken
 * XmppSession juliet = registry.find(FullJid.parse("juliet@example.com/balcony"));
 * List<XmppSession> all = registry.resources(BareJid.parse("juliet@example.com"));
 * }</pre>
 *
 * <p>No method signals an error: a JID without a session reads as {@code null} or an empty list.
 */
public interface SessionRegistry {

    /** The session bound to this full JID, or {@code null} when there is none. */
    @Nullable XmppSession find(FullJid jid);

    /**
     * The bound sessions (resources) of an account, in no particular order; empty when there are none.
     *
     * @return an immutable snapshot: later binds and unbinds do not change it
     */
    List<XmppSession> resources(BareJid jid);

    /**
     * Registers a session under {@link XmppSession#jid()}, replacing whatever session held that JID.
     *
     * @return the displaced session, or {@code null} when the JID was free (or already held by this very session)
     */
    @Nullable XmppSession put(XmppSession session);

    /**
     * Registers a session under {@link XmppSession#jid()} only when no session holds that JID.
     *
     * @return the session that already holds the JID (then nothing changed), or {@code null} when this one was
     *         registered
     */
    @Nullable XmppSession putIfAbsent(XmppSession session);

    /**
     * Removes a session, but only when this exact session is the one registered under its JID.
     *
     * @return whether it was removed
     */
    boolean remove(XmppSession session);

    /** The number of bound sessions. */
    int size();
}
