package org.fluxmpp.stanza;

import java.util.Locale;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * A {@code <message/>} stanza (RFC 6120 section 8.2.1; types and children as RFC 6121 section 5 defines them).
 *
 * <pre>{@code
 * Message m = Message.builder().to("juliet@example.com").type(Message.Type.CHAT).body("Art thou not Romeo?").build();
 * }</pre>
 */
public final class Message extends Stanza {

    Message(XmlElement element) {
        super(element);
    }

    /** A builder of a message in {@code jabber:client}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The message type; {@link Type#NORMAL} when absent or unknown (RFC 6121 5.2.2). */
    public Type type() {
        Type t = Type.fromValue(typeAttribute());
        return t == null ? Type.NORMAL : t;
    }

    /** The first {@code <body/>} text, or {@code null}. */
    public @Nullable String body() {
        XmlElement b = element().child(element().namespace(), "body");
        return b == null ? null : b.text();
    }

    /** The first {@code <subject/>} text, or {@code null}. */
    public @Nullable String subject() {
        XmlElement s = element().child(element().namespace(), "subject");
        return s == null ? null : s.text();
    }

    /** The {@code <thread/>} text, or {@code null}. */
    public @Nullable String thread() {
        XmlElement t = element().child(element().namespace(), "thread");
        return t == null ? null : t.text();
    }

    @Override
    public Message withTo(@Nullable Jid to) {
        return (Message) super.withTo(to);
    }

    @Override
    public Message withFrom(@Nullable Jid from) {
        return (Message) super.withFrom(from);
    }

    @Override
    public Message withId(@Nullable String id) {
        return (Message) super.withId(id);
    }

    @Override
    public Message errorReply(StanzaError error) {
        return (Message) super.errorReply(error);
    }

    @Override
    Message wrap(XmlElement element) {
        return new Message(element);
    }

    /** Message types (RFC 6121 section 5.2.2). */
    public enum Type {
        /** One-to-one chat. */
        CHAT,
        /** An error reply. */
        ERROR,
        /** Multi-user chat. */
        GROUPCHAT,
        /** An alert or notification; no reply expected. */
        HEADLINE,
        /** A standalone message (the default). */
        NORMAL;

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

    /** Builds a {@link Message}. */
    public static final class Builder extends Stanza.Builder<Message, Builder> {
        Builder() {
            super("message");
        }

        /** Sets the type; {@link Type#NORMAL} is written as no attribute. */
        public Builder type(Type type) {
            element.attribute("type", type == Type.NORMAL ? null : type.value());
            return this;
        }

        /** Appends a {@code <body/>}. */
        public Builder body(String body) {
            element.child(XmlElement.builder(CLIENT_NAMESPACE, "body").text(body).build());
            return this;
        }

        /** Appends a {@code <subject/>}. */
        public Builder subject(String subject) {
            element.child(XmlElement.builder(CLIENT_NAMESPACE, "subject").text(subject).build());
            return this;
        }

        /** Appends a {@code <thread/>}. */
        public Builder thread(String thread) {
            element.child(XmlElement.builder(CLIENT_NAMESPACE, "thread").text(thread).build());
            return this;
        }

        @Override
        public Message build() {
            return new Message(element.build());
        }
    }
}
