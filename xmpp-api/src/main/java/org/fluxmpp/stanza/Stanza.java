package org.fluxmpp.stanza;

import java.util.Objects;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * A stanza (RFC 6120 section 8): a read-only view over a {@code <message/>}, {@code <presence/>} or {@code <iq/>}
 * element, with the five common attributes (section 8.1): {@code to}, {@code from}, {@code id}, {@code type},
 * {@code xml:lang}.
 *
 * <p>Stanzas are immutable; the {@code with...} methods return a copy. Every child element, including unknown
 * extensions, is kept. {@link #to()} and {@link #from()} parse lazily and throw
 * {@link org.fluxmpp.jid.JidFormatException} on a malformed address, which a server answers with
 * {@code jid-malformed}.
 *
 * <pre>{@code
 * Stanza s = Stanza.of(element);            // a Message, Presence or Iq
 * if (s instanceof Message m) { String body = m.body(); }
 * Stanza stamped = s.withFrom(session.jid());
 * }</pre>
 */
public abstract sealed class Stanza permits Message, Presence, Iq {

    /** The content namespace of client streams: {@value}. */
    public static final String CLIENT_NAMESPACE = "jabber:client";
    /** The content namespace of server-to-server streams: {@value}. */
    public static final String SERVER_NAMESPACE = "jabber:server";

    private final XmlElement element;
    private @Nullable Jid to;
    private @Nullable Jid from;

    Stanza(XmlElement element) {
        this.element = element;
    }

    /**
     * Wraps an element as the stanza it is.
     *
     * @throws IllegalArgumentException when the element is not a stanza in {@code jabber:client} or
     *                                  {@code jabber:server}, or is an IQ that breaks section 8.2.3's rules
     */
    public static Stanza of(XmlElement element) {
        if (!isStanzaNamespace(element.namespace())) {
            throw new IllegalArgumentException("not a stanza namespace: " + element.namespace());
        }
        return switch (element.localName()) {
            case "message" -> new Message(element);
            case "presence" -> new Presence(element);
            case "iq" -> Iq.of(element);
            default -> throw new IllegalArgumentException("not a stanza: " + element.localName());
        };
    }

    /** Whether the element is a message, presence or iq in a stanza namespace. */
    public static boolean isStanza(XmlElement element) {
        if (!isStanzaNamespace(element.namespace())) {
            return false;
        }
        String n = element.localName();
        return n.equals("message") || n.equals("presence") || n.equals("iq");
    }

    private static boolean isStanzaNamespace(String ns) {
        return ns.equals(CLIENT_NAMESPACE) || ns.equals(SERVER_NAMESPACE);
    }

    /** The underlying element. */
    public XmlElement element() {
        return element;
    }

    /** The {@code to} address, or {@code null} when absent; throws {@code JidFormatException} when malformed. */
    public @Nullable Jid to() {
        Jid j = to;
        if (j == null) {
            String raw = element.attribute("to");
            if (raw != null) {
                j = Jid.parse(raw);
                to = j;
            }
        }
        return j;
    }

    /** The {@code from} address, or {@code null} when absent; throws {@code JidFormatException} when malformed. */
    public @Nullable Jid from() {
        Jid j = from;
        if (j == null) {
            String raw = element.attribute("from");
            if (raw != null) {
                j = Jid.parse(raw);
                from = j;
            }
        }
        return j;
    }

    /** The {@code id} attribute, or {@code null}. */
    public @Nullable String id() {
        return element.attribute("id");
    }

    /** The raw {@code type} attribute, or {@code null}. */
    public @Nullable String typeAttribute() {
        return element.attribute("type");
    }

    /** The {@code xml:lang} attribute, or {@code null}. */
    public @Nullable String lang() {
        return element.lang();
    }

    /** Whether this stanza is of type {@code error}. */
    public boolean isError() {
        return "error".equals(typeAttribute());
    }

    /** The stanza error of an error stanza, or {@code null} when this is not one. */
    public @Nullable StanzaError error() {
        if (!isError()) {
            return null;
        }
        XmlElement e = element.child(element.namespace(), "error");
        return e == null ? StanzaError.of(StanzaError.Condition.UNDEFINED_CONDITION) : StanzaError.fromElement(e);
    }

    /** A copy with this {@code to}; {@code null} removes it. */
    public Stanza withTo(@Nullable Jid to) {
        return wrap(element.toBuilder().attribute("to", to == null ? null : to.toString()).build());
    }

    /** A copy with this {@code from}; {@code null} removes it. */
    public Stanza withFrom(@Nullable Jid from) {
        return wrap(element.toBuilder().attribute("from", from == null ? null : from.toString()).build());
    }

    /** A copy with this {@code id}; {@code null} removes it. */
    public Stanza withId(@Nullable String id) {
        return wrap(element.toBuilder().attribute("id", id).build());
    }

    /**
     * An error reply (section 8.3.1): type {@code error}, {@code to} and {@code from} swapped, same id, the error
     * element as the only child.
     *
     * @throws IllegalStateException when this stanza is itself an error, which must never be answered with one
     */
    public Stanza errorReply(StanzaError error) {
        if (isError()) {
            throw new IllegalStateException("an error stanza is never answered with an error (RFC 6120 8.3.1)");
        }
        XmlElement.Builder b = XmlElement.builder(element.namespace(), element.localName())
                .attribute("to", element.attribute("from"))
                .attribute("from", element.attribute("to"))
                .attribute("id", id())
                .attribute("type", "error")
                .lang(lang())
                .child(error.toElement(element.namespace()));
        return wrap(b.build());
    }

    abstract Stanza wrap(XmlElement element);

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Stanza s && s.getClass() == getClass() && element.equals(s.element);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), element);
    }

    @Override
    public String toString() {
        return element.toString();
    }

    /**
     * The common part of the stanza builders: addresses, id, language and extension children.
     *
     * @param <S> the stanza type built
     * @param <B> the builder's own type
     */
    public abstract static class Builder<S extends Stanza, B extends Builder<S, B>> {
        final XmlElement.Builder element;

        Builder(String localName) {
            element = XmlElement.builder(CLIENT_NAMESPACE, localName);
        }

        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }

        /** Sets {@code to}. */
        public B to(@Nullable Jid to) {
            element.attribute("to", to == null ? null : to.toString());
            return self();
        }

        /** Sets {@code to} from text; it is parsed and normalised. */
        public B to(String to) {
            return to(Jid.parse(to));
        }

        /** Sets {@code from}. */
        public B from(@Nullable Jid from) {
            element.attribute("from", from == null ? null : from.toString());
            return self();
        }

        /** Sets {@code id}. */
        public B id(@Nullable String id) {
            element.attribute("id", id);
            return self();
        }

        /** Sets {@code xml:lang}. */
        public B lang(@Nullable String lang) {
            element.lang(lang);
            return self();
        }

        /** Appends an extension element. */
        public B child(XmlElement child) {
            element.child(child);
            return self();
        }

        /** Builds the stanza. */
        public abstract S build();
    }
}
