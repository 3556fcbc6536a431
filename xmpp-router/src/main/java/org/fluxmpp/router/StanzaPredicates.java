package org.fluxmpp.router;

import java.util.Objects;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * Ready {@link StanzaPredicate}s: by stanza kind (RFC 6120 section 8), IQ type and payload qualified name (8.2.3),
 * extension element (8.4), address (8.1.1, 8.1.2), message type and body (RFC 6121 section 5.2).
 *
 * <pre>{@code
 * import static org.fluxmpp.router.StanzaPredicates.*;
 *
 * StanzaRoute route = StanzaRoutes.route()
 *     .route(iqGet("jabber:iq:roster", "query").and(toDomain()), rosterHandler)
 *     .message(messageType(Message.Type.CHAT).and(hasBody()), chatHandler)
 *     .message(hasExtension("urn:xmpp:receipts", "received"), receiptHandler)
 *     .build();
 * }</pre>
 *
 * <p>None of them signals an error: a malformed address (which {@link Stanza#to()} would throw for) simply does not
 * match. Every predicate is stateless and allocation-free when tested.
 */
public final class StanzaPredicates {

    private static final StanzaPredicate ALL = (stanza, session) -> true;
    private static final StanzaPredicate MESSAGE = (stanza, session) -> stanza instanceof Message;
    private static final StanzaPredicate PRESENCE = (stanza, session) -> stanza instanceof Presence;
    private static final StanzaPredicate IQ = (stanza, session) -> stanza instanceof Iq;
    private static final StanzaPredicate TO_DOMAIN = (stanza, session) -> {
        String raw = stanza.element().attribute("to");
        if (raw == null) {
            return true;
        }
        Jid to = toOrNull(stanza);
        return to != null && to.localpart() == null;
    };
    private static final StanzaPredicate HAS_BODY = (stanza, session) ->
            stanza instanceof Message m && m.body() != null;

    private StanzaPredicates() {
    }

    /**
     * Every stanza.
     *
     * <pre>{@code
     * StanzaRoutes.route(all(), (stanza, session) -> Mono.empty());     // swallow everything
     * }</pre>
     */
    public static StanzaPredicate all() {
        return ALL;
    }

    /**
     * A {@code <message/>} stanza (RFC 6120 section 8.2.1).
     *
     * <pre>{@code
     * StanzaPredicate p = message().and(hasBody());
     * }</pre>
     */
    public static StanzaPredicate message() {
        return MESSAGE;
    }

    /**
     * A {@code <presence/>} stanza (RFC 6120 section 8.2.2).
     *
     * <pre>{@code
     * StanzaPredicate p = presence().and(toDomain());
     * }</pre>
     */
    public static StanzaPredicate presence() {
        return PRESENCE;
    }

    /**
     * An {@code <iq/>} stanza of any type (RFC 6120 section 8.2.3).
     *
     * <pre>{@code
     * StanzaPredicate p = iq().and(from(admin));
     * }</pre>
     */
    public static StanzaPredicate iq() {
        return IQ;
    }

    /**
     * An {@code <iq/>} of this type (RFC 6120 section 8.2.3).
     *
     * <pre>{@code
     * StanzaPredicate results = iq(Iq.Type.RESULT);
     * }</pre>
     *
     * @throws NullPointerException when {@code type} is {@code null}
     */
    public static StanzaPredicate iq(Iq.Type type) {
        Objects.requireNonNull(type, "type");
        return (stanza, session) -> stanza instanceof Iq iq && iq.type() == type;
    }

    /**
     * An IQ {@code get} whose payload has this qualified name (RFC 6120 section 8.2.3).
     *
     * <pre>{@code
     * StanzaPredicate roster = iqGet("jabber:iq:roster", "query");
     * }</pre>
     *
     * @throws NullPointerException when an argument is {@code null}
     */
    public static StanzaPredicate iqGet(String namespace, String localName) {
        return iqWithPayload(Iq.Type.GET, namespace, localName);
    }

    /**
     * An IQ {@code set} whose payload has this qualified name (RFC 6120 section 8.2.3).
     *
     * <pre>{@code
     * StanzaPredicate rosterPush = iqSet("jabber:iq:roster", "query");
     * }</pre>
     *
     * @throws NullPointerException when an argument is {@code null}
     */
    public static StanzaPredicate iqSet(String namespace, String localName) {
        return iqWithPayload(Iq.Type.SET, namespace, localName);
    }

    /**
     * An IQ of any type whose payload ({@link Iq#payload()}: the child of a request or result, the non-error child
     * of an error) has this qualified name (RFC 6120 section 8.2.3).
     *
     * <pre>{@code
     * StanzaPredicate anyPing = payload("urn:xmpp:ping", "ping");
     * }</pre>
     *
     * @throws NullPointerException when an argument is {@code null}
     */
    public static StanzaPredicate payload(String namespace, String localName) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(localName, "localName");
        return (stanza, session) -> {
            if (stanza instanceof Iq iq) {
                XmlElement p = iq.payload();
                return p != null && p.is(namespace, localName);
            }
            return false;
        };
    }

    /**
     * A stanza of any kind with a child element of this qualified name: an extension element (RFC 6120 section
     * 8.4), or an IQ's payload.
     *
     * <pre>{@code
     * StanzaPredicate receipt = message().and(hasExtension("urn:xmpp:receipts", "request"));
     * }</pre>
     *
     * @throws NullPointerException when an argument is {@code null}
     */
    public static StanzaPredicate hasExtension(String namespace, String localName) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(localName, "localName");
        return (stanza, session) -> stanza.element().child(namespace, localName) != null;
    }

    /**
     * A stanza whose {@code to} (RFC 6120 section 8.1.1) equals this JID exactly: a bare JID does not match a
     * stanza to one of its full JIDs.
     *
     * <pre>{@code
     * StanzaPredicate toBot = to(Jid.parse("bot@example.com"));
     * }</pre>
     *
     * @throws NullPointerException when {@code jid} is {@code null}
     */
    public static StanzaPredicate to(Jid jid) {
        Objects.requireNonNull(jid, "jid");
        return (stanza, session) -> jid.equals(toOrNull(stanza));
    }

    /**
     * A stanza for the server itself: with no {@code to}, or a {@code to} without localpart (a domain, with or
     * without a resource; RFC 6120 sections 10.3, 10.5.1 and 10.5.2). The router hands routes only stanzas for a
     * served domain or for a local account, so among them this one separates the server from the accounts.
     *
     * <pre>{@code
     * StanzaRoute version = StanzaRoutes.route()
     *     .nest(toDomain(), b -> b.iqGet("jabber:iq:version", "query", versionHandler))
     *     .build();
     * }</pre>
     */
    public static StanzaPredicate toDomain() {
        return TO_DOMAIN;
    }

    /**
     * A stanza whose {@code from} (RFC 6120 section 8.1.2, stamped by the server for a client's stanzas) equals this
     * JID exactly.
     *
     * <pre>{@code
     * StanzaPredicate fromAdmin = from(Jid.parse("admin@example.com/console"));
     * }</pre>
     *
     * @throws NullPointerException when {@code jid} is {@code null}
     */
    public static StanzaPredicate from(Jid jid) {
        Objects.requireNonNull(jid, "jid");
        return (stanza, session) -> {
            try {
                return jid.equals(stanza.from());
            } catch (JidFormatException e) {
                return false;
            }
        };
    }

    /**
     * A message of this type (RFC 6121 section 5.2.2; a message without {@code type} is {@code normal}).
     *
     * <pre>{@code
     * StanzaPredicate chat = messageType(Message.Type.CHAT);
     * }</pre>
     *
     * @throws NullPointerException when {@code type} is {@code null}
     */
    public static StanzaPredicate messageType(Message.Type type) {
        Objects.requireNonNull(type, "type");
        return (stanza, session) -> stanza instanceof Message m && m.type() == type;
    }

    /**
     * A message with a {@code <body/>} (RFC 6121 section 5.2.3), even an empty one.
     *
     * <pre>{@code
     * StanzaRoutes.route().message(hasBody(), (msg, session) -> Mono.just(echo(msg))).build();
     * }</pre>
     */
    public static StanzaPredicate hasBody() {
        return HAS_BODY;
    }

    private static StanzaPredicate iqWithPayload(Iq.Type type, String namespace, String localName) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(localName, "localName");
        return (stanza, session) -> {
            if (stanza instanceof Iq iq && iq.type() == type) {
                XmlElement p = iq.payload();
                return p != null && p.is(namespace, localName);
            }
            return false;
        };
    }

    private static @Nullable Jid toOrNull(Stanza stanza) {
        try {
            return stanza.to();
        } catch (JidFormatException e) {
            return null;
        }
    }
}
