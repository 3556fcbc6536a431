package org.fluxmpp.stanza;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * An {@code <iq/>} stanza (RFC 6120 section 8.2.3): a request ({@code get}/{@code set}) carrying exactly one payload
 * child, and its response ({@code result}/{@code error}) with the same id.
 *
 * <pre>{@code
 * Iq ping = Iq.get(XmlElement.empty("urn:xmpp:ping", "ping")).to("example.com").id("p1").build();
 * Iq pong = ping.result();                       // to/from swapped, same id, no payload
 * }</pre>
 */
public final class Iq extends Stanza {

    private final Type type;

    private Iq(XmlElement element, Type type) {
        super(element);
        this.type = type;
    }

    /**
     * Wraps an {@code <iq/>} element, checking section 8.2.3: an id and a known type are present; a get or set has
     * exactly one child; a result has at most one.
     *
     * @throws IllegalArgumentException when the element is not an {@code <iq/>} in {@code jabber:client} or
     *                                  {@code jabber:server}, or a rule is broken (a server answers with
     *                                  {@code bad-request})
     */
    public static Iq of(XmlElement element) {
        if (!element.localName().equals("iq") || !isStanza(element)) {
            throw new IllegalArgumentException("not an iq in jabber:client or jabber:server: " + element.name());
        }
        Type type = Type.fromValue(element.attribute("type"));
        if (type == null) {
            throw new IllegalArgumentException("an iq needs a type of get, set, result or error");
        }
        if (element.attribute("id") == null) {
            throw new IllegalArgumentException("an iq needs an id");
        }
        int children = element.childCount();
        if ((type == Type.GET || type == Type.SET) && children != 1) {
            throw new IllegalArgumentException("an iq of type " + type.value() + " must have exactly one child, has "
                    + children);
        }
        if (type == Type.RESULT && children > 1) {
            throw new IllegalArgumentException("an iq of type result has at most one child, has " + children);
        }
        return new Iq(element, type);
    }

    /** A builder of a {@code get} request with this payload. */
    public static Builder get(XmlElement payload) {
        return new Builder(Type.GET).child(payload);
    }

    /** A builder of a {@code set} request with this payload. */
    public static Builder set(XmlElement payload) {
        return new Builder(Type.SET).child(payload);
    }

    /** The type. */
    public Type type() {
        return type;
    }

    /** Whether this is a request ({@code get} or {@code set}). */
    public boolean isRequest() {
        return type == Type.GET || type == Type.SET;
    }

    /** The id; never {@code null} for a valid iq. */
    @Override
    public String id() {
        return Objects.requireNonNull(super.id());
    }

    /** The payload: the one child of a request, the child of a result if any, or the non-error child of an error. */
    public @Nullable XmlElement payload() {
        XmlElement e = element();
        // By index: routes ask for the payload of every IQ they look at, so this must not allocate.
        for (int i = 0, n = e.nodeCount(); i < n; i++) {
            if (e.node(i) instanceof XmlElement c
                    && !(c.localName().equals("error") && c.namespace().equals(e.namespace()))) {
                return c;
            }
        }
        return null;
    }

    /**
     * An empty {@code result} reply: {@code to} and {@code from} swapped, same id.
     *
     * @throws IllegalStateException when this iq is not a request
     */
    public Iq result() {
        return result(null);
    }

    /**
     * A {@code result} reply carrying a payload (or none when {@code null}).
     *
     * @throws IllegalStateException when this iq is not a request
     */
    public Iq result(@Nullable XmlElement payload) {
        if (!isRequest()) {
            throw new IllegalStateException("only a get or set is answered with a result");
        }
        XmlElement.Builder b = reply("result");
        if (payload != null) {
            b.child(payload);
        }
        return new Iq(b.build(), Type.RESULT);
    }

    /**
     * An {@code error} reply with this error.
     *
     * @throws IllegalStateException when this iq is not a request (a response is never answered)
     */
    public Iq error(StanzaError error) {
        if (!isRequest()) {
            throw new IllegalStateException("only a get or set is answered with an error (RFC 6120 8.2.3)");
        }
        return new Iq(reply("error").child(error.toElement(element().namespace())).build(), Type.ERROR);
    }

    @Override
    public Iq errorReply(StanzaError error) {
        return error(error);
    }

    private XmlElement.Builder reply(String type) {
        return XmlElement.builder(element().namespace(), "iq")
                .attribute("to", element().attribute("from"))
                .attribute("from", element().attribute("to"))
                .attribute("id", id())
                .attribute("type", type);
    }

    @Override
    public Iq withTo(@Nullable Jid to) {
        return (Iq) super.withTo(to);
    }

    @Override
    public Iq withFrom(@Nullable Jid from) {
        return (Iq) super.withFrom(from);
    }

    @Override
    public Iq withId(@Nullable String id) {
        return (Iq) super.withId(Objects.requireNonNull(id, "an iq needs an id"));
    }

    @Override
    Iq wrap(XmlElement element) {
        return new Iq(element, type);
    }

    /** IQ types (RFC 6120 section 8.2.3). */
    public enum Type {
        /** A request for information. */
        GET,
        /** A request that provides data or changes state. */
        SET,
        /** A successful response. */
        RESULT,
        /** An error response. */
        ERROR;

        private final String value = name().toLowerCase(Locale.ROOT);

        /** The attribute value. */
        public String value() {
            return value;
        }

        /** The type with this attribute value, or {@code null}. */
        public static @Nullable Type fromValue(@Nullable String value) {
            for (Type t : values()) {
                if (t.value.equals(value)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * Builds a request ({@code get} or {@code set}); {@link #build()} checks section 8.2.3's rules and, when no
     * {@link #id(String) id} was set, gives the request one of its own (8.2.3: the requesting entity generates it).
     */
    public static final class Builder extends Stanza.Builder<Iq, Builder> {

        /** Ids of this process: a random prefix (so a restarted process does not repeat them) and a counter. */
        private static final String ID_PREFIX = Long.toString(new SecureRandom().nextLong() >>> 1, 36) + "-";
        private static final AtomicLong ID_COUNTER = new AtomicLong();

        Builder(Type type) {
            super("iq");
            element.attribute("type", type.value());
        }

        /**
         * Builds the iq, with a generated id unless one was set.
         *
         * @throws IllegalStateException when the request does not have exactly one child
         */
        @Override
        public Iq build() {
            XmlElement built = element.build();
            if (built.attribute("id") == null) {
                built = element.attribute("id", ID_PREFIX + Long.toString(ID_COUNTER.incrementAndGet(), 36)).build();
            }
            try {
                return Iq.of(built);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
