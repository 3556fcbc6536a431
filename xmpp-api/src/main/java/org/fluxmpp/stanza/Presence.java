package org.fluxmpp.stanza;

import java.util.Locale;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * A {@code <presence/>} stanza (RFC 6120 section 8.2.2; types and children as RFC 6121 section 4.7 defines them).
 *
 * <pre>{@code
 * Presence p = Presence.builder().show(Presence.Show.AWAY).status("at lunch").build();
 * }</pre>
 */
public final class Presence extends Stanza {

    Presence(XmlElement element) {
        super(element);
    }

    /** A builder of an available presence in {@code jabber:client}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The presence type; {@link Type#AVAILABLE} when the attribute is absent. */
    public @Nullable Type type() {
        String raw = typeAttribute();
        return raw == null ? Type.AVAILABLE : Type.fromValue(raw);
    }

    /** The {@code <show/>} value, or {@code null} (plain available). */
    public @Nullable Show show() {
        XmlElement s = element().child(element().namespace(), "show");
        return s == null ? null : Show.fromValue(s.text());
    }

    /** The first {@code <status/>} text, or {@code null}. */
    public @Nullable String status() {
        XmlElement s = element().child(element().namespace(), "status");
        return s == null ? null : s.text();
    }

    /** The {@code <priority/>} (-128..127), 0 when absent or invalid (RFC 6121 4.7.2.3). */
    public int priority() {
        XmlElement p = element().child(element().namespace(), "priority");
        if (p == null) {
            return 0;
        }
        try {
            int v = Integer.parseInt(p.text().trim());
            return v < -128 || v > 127 ? 0 : v;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public Presence withTo(@Nullable Jid to) {
        return (Presence) super.withTo(to);
    }

    @Override
    public Presence withFrom(@Nullable Jid from) {
        return (Presence) super.withFrom(from);
    }

    @Override
    public Presence withId(@Nullable String id) {
        return (Presence) super.withId(id);
    }

    @Override
    public Presence errorReply(StanzaError error) {
        return (Presence) super.errorReply(error);
    }

    @Override
    Presence wrap(XmlElement element) {
        return new Presence(element);
    }

    /** Presence types (RFC 6121 section 4.7.1); {@code AVAILABLE} is the absence of the attribute. */
    public enum Type {
        /** No type attribute: available. */
        AVAILABLE,
        /** An error reply. */
        ERROR,
        /** A request for the entity's current presence. */
        PROBE,
        /** A subscription request. */
        SUBSCRIBE,
        /** A subscription approval. */
        SUBSCRIBED,
        /** No longer available. */
        UNAVAILABLE,
        /** An unsubscription. */
        UNSUBSCRIBE,
        /** A subscription revoked or denied. */
        UNSUBSCRIBED;

        private final String value = name().toLowerCase(Locale.ROOT);

        /** The attribute value ({@code null} for {@link #AVAILABLE}). */
        public @Nullable String value() {
            return this == AVAILABLE ? null : value;
        }

        /** The type with this attribute value, or {@code null} when unknown. */
        public static @Nullable Type fromValue(String value) {
            for (Type t : values()) {
                if (t != AVAILABLE && t.value.equals(value)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Availability sub-states (RFC 6121 section 4.7.2.1). */
    public enum Show {
        /** Temporarily away. */
        AWAY,
        /** Actively interested in chatting. */
        CHAT,
        /** Busy: do not disturb. */
        DND,
        /** Away for an extended period. */
        XA;

        private final String value = name().toLowerCase(Locale.ROOT);

        /** The element text. */
        public String value() {
            return value;
        }

        /** The show value with this text, or {@code null}. */
        public static @Nullable Show fromValue(String value) {
            for (Show s : values()) {
                if (s.value.equals(value)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** Builds a {@link Presence}. */
    public static final class Builder extends Stanza.Builder<Presence, Builder> {
        Builder() {
            super("presence");
        }

        /** Sets the type. */
        public Builder type(Type type) {
            element.attribute("type", type.value());
            return this;
        }

        /** Appends a {@code <show/>}. */
        public Builder show(Show show) {
            element.child(XmlElement.builder(CLIENT_NAMESPACE, "show").text(show.value()).build());
            return this;
        }

        /** Appends a {@code <status/>}. */
        public Builder status(String status) {
            element.child(XmlElement.builder(CLIENT_NAMESPACE, "status").text(status).build());
            return this;
        }

        /**
         * Appends a {@code <priority/>}.
         *
         * @throws IllegalArgumentException outside -128..127
         */
        public Builder priority(int priority) {
            if (priority < -128 || priority > 127) {
                throw new IllegalArgumentException("priority must be in -128..127: " + priority);
            }
            element.child(XmlElement.builder(CLIENT_NAMESPACE, "priority").text(Integer.toString(priority)).build());
            return this;
        }

        @Override
        public Presence build() {
            return new Presence(element.build());
        }
    }
}
