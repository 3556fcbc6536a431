package org.fluxmpp.router;

import java.util.Objects;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;

/**
 * Tests whether a route takes a stanza: the condition half of a route, composed with {@link #and}, {@link #or} and
 * {@link #negate}. {@link StanzaPredicates} has the ready ones (stanza kind, IQ type and payload name, addresses,
 * extensions, message type and body).
 *
 * <pre>{@code
 * StanzaPredicate chatWithBody = messageType(Message.Type.CHAT).and(hasBody());
 * StanzaPredicate notFromAdmin = from(Jid.parse("admin@example.com/console")).negate();
 * StanzaPredicate secure = (stanza, session) -> session.isSecure();
 *
 * StanzaRoute route = StanzaRoutes.route().message(chatWithBody.and(notFromAdmin), handler).build();
 * }</pre>
 *
 * <p>A predicate is called for every stanza a route sees, on the routing thread: it must be fast and must never
 * block (no I/O; look things up in the handler, which returns a {@code Publisher}). An exception it throws fails the
 * routing of that stanza, which {@link XmppRouter} answers with {@code internal-server-error} (RFC 6120 section
 * 8.3.3.6).
 */
@FunctionalInterface
public interface StanzaPredicate {

    /**
     * Whether the stanza matches.
     *
     * @param stanza  the stanza being routed; its {@code from} is already stamped by the transport
     *                (RFC 6120 section 8.1.2.1)
     * @param session the session that sent it
     * @return {@code true} when the route should take it
     */
    boolean test(Stanza stanza, XmppSession session);

    /**
     * A predicate matching when this one and {@code other} both match; {@code other} is not tested when this one
     * does not match.
     *
     * <pre>{@code
     * StanzaPredicate p = message().and(hasBody());
     * }</pre>
     *
     * @throws NullPointerException when {@code other} is {@code null}
     */
    default StanzaPredicate and(StanzaPredicate other) {
        Objects.requireNonNull(other, "other");
        return (stanza, session) -> test(stanza, session) && other.test(stanza, session);
    }

    /**
     * A predicate matching when this one or {@code other} matches; {@code other} is not tested when this one
     * matches.
     *
     * <pre>{@code
     * StanzaPredicate p = messageType(Message.Type.CHAT).or(messageType(Message.Type.NORMAL));
     * }</pre>
     *
     * @throws NullPointerException when {@code other} is {@code null}
     */
    default StanzaPredicate or(StanzaPredicate other) {
        Objects.requireNonNull(other, "other");
        return (stanza, session) -> test(stanza, session) || other.test(stanza, session);
    }

    /**
     * A predicate matching exactly when this one does not.
     *
     * <pre>{@code
     * StanzaPredicate notToTheServer = toDomain().negate();
     * }</pre>
     */
    default StanzaPredicate negate() {
        return (stanza, session) -> !test(stanza, session);
    }
}
