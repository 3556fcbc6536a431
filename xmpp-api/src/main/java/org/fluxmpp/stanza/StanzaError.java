package org.fluxmpp.stanza;

import java.util.Locale;
import java.util.Objects;
import javax.xml.XMLConstants;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * A stanza error (RFC 6120 section 8.3): the {@code <error/>} child of a stanza of type {@code error}.
 *
 * <pre>{@code
 * StanzaError e = StanzaError.of(StanzaError.Condition.SERVICE_UNAVAILABLE);   // type cancel, the RFC's default
 * Iq reply = request.error(e);
 * }</pre>
 *
 * @param type        the error type (section 8.3.2)
 * @param condition   the defined condition (section 8.3.3)
 * @param text        descriptive text for humans, or {@code null}
 * @param lang        the {@code xml:lang} of the text, or {@code null}
 * @param application an application-specific condition element, or {@code null}
 * @param by          the entity that returned the error, or {@code null}
 * @param newAddress  for {@link Condition#GONE} (8.3.3.5) and {@link Condition#REDIRECT} (8.3.3.14) only: the
 *                    intended recipient's new address as an XMPP URI (RFC 5122, such as
 *                    {@code xmpp:juliet@example.com}), the condition element's content; otherwise {@code null}
 */
public record StanzaError(Type type, Condition condition, @Nullable String text, @Nullable String lang,
                          @Nullable XmlElement application, @Nullable String by, @Nullable String newAddress) {

    /** The namespace of the defined conditions and of {@code <text/>}: {@value}. */
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-stanzas";

    /**
     * Checks type and condition are present, and that only {@code gone} and {@code redirect} carry a new address.
     *
     * @throws IllegalArgumentException when {@code newAddress} is set for another condition, or is blank
     */
    public StanzaError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(condition, "condition");
        if (newAddress != null && (!condition.hasNewAddress() || newAddress.isBlank())) {
            throw new IllegalArgumentException("a new address belongs to a non-blank gone or redirect only: "
                    + newAddress);
        }
    }

    /** An error without a new address (only {@code gone} and {@code redirect} may have one). */
    public StanzaError(Type type, Condition condition, @Nullable String text, @Nullable String lang,
                       @Nullable XmlElement application, @Nullable String by) {
        this(type, condition, text, lang, application, by, null);
    }

    /**
     * {@code gone} (RFC 6120 8.3.3.5): the recipient no longer exists at this address; {@code newAddress}, when
     * known, is where it went, as an XMPP URI ({@code xmpp:juliet@example.com}).
     *
     * @throws IllegalArgumentException when {@code newAddress} is blank
     */
    public static StanzaError gone(@Nullable String newAddress) {
        return new StanzaError(Condition.GONE.defaultType(), Condition.GONE, null, null, null, null, newAddress);
    }

    /**
     * {@code redirect} (RFC 6120 8.3.3.14): the recipient is temporarily at {@code newAddress}, an XMPP URI; the
     * sender should try there.
     *
     * @throws IllegalArgumentException when {@code newAddress} is blank
     */
    public static StanzaError redirect(String newAddress) {
        return new StanzaError(Condition.REDIRECT.defaultType(), Condition.REDIRECT, null, null, null, null,
                Objects.requireNonNull(newAddress, "newAddress"));
    }

    /** An error with this condition and the RFC's default type for it. */
    public static StanzaError of(Condition condition) {
        return new StanzaError(condition.defaultType(), condition, null, null, null, null);
    }

    /** An error with this condition, its default type, and descriptive text. */
    public static StanzaError of(Condition condition, @Nullable String text) {
        return new StanzaError(condition.defaultType(), condition, text, null, null, null);
    }

    /** A copy with this type. */
    public StanzaError withType(Type type) {
        return new StanzaError(type, condition, text, lang, application, by, newAddress);
    }

    /** A copy with this {@code by} attribute. */
    public StanzaError withBy(@Nullable String by) {
        return new StanzaError(type, condition, text, lang, application, by, newAddress);
    }

    /** A copy with this application-specific condition. */
    public StanzaError withApplicationCondition(@Nullable XmlElement application) {
        return new StanzaError(type, condition, text, lang, application, by, newAddress);
    }

    /** This error as an {@code <error/>} element in the given content namespace (such as {@code jabber:client}). */
    public XmlElement toElement(String contentNamespace) {
        XmlElement.Builder b = XmlElement.builder(contentNamespace, "error")
                .attribute("type", type.value())
                .attribute("by", by)
                .child(newAddress == null ? XmlElement.empty(NAMESPACE, condition.elementName())
                        : XmlElement.builder(NAMESPACE, condition.elementName()).text(newAddress).build());
        if (text != null) {
            b.child(XmlElement.builder(NAMESPACE, "text").attribute(XMLConstants.XML_NS_URI, "lang", lang)
                    .text(text).build());
        }
        if (application != null) {
            b.child(application);
        }
        return b.build();
    }

    /**
     * Reads an {@code <error/>} element. An unknown condition reads as {@link Condition#UNDEFINED_CONDITION}; a
     * missing or unknown type takes the condition's default.
     */
    public static StanzaError fromElement(XmlElement error) {
        Condition condition = Condition.UNDEFINED_CONDITION;
        String text = null;
        String lang = null;
        XmlElement app = null;
        String newAddress = null;
        for (XmlElement c : error.children()) {
            if (c.namespace().equals(NAMESPACE)) {
                if (c.localName().equals("text")) {
                    text = c.text();
                    lang = c.lang();
                } else {
                    Condition parsed = Condition.fromElementName(c.localName());
                    if (parsed != null) {
                        condition = parsed;
                        String content = c.text().strip();
                        newAddress = parsed.hasNewAddress() && !content.isEmpty() ? content : null;
                    }
                }
            } else if (app == null) {
                app = c;
            }
        }
        Type type = Type.fromValue(error.attribute("type"));
        return new StanzaError(type == null ? condition.defaultType() : type, condition, text, lang, app,
                error.attribute("by"), newAddress);
    }

    /** The error types of RFC 6120 section 8.3.2. */
    public enum Type {
        /** Retry after providing credentials. */
        AUTH,
        /** Do not retry: the error cannot be remedied. */
        CANCEL,
        /** Proceed: the condition was only a warning. */
        CONTINUE,
        /** Retry after changing the data sent. */
        MODIFY,
        /** Retry after waiting: the error is temporary. */
        WAIT;

        private final String value = name().toLowerCase(Locale.ROOT);

        /** The attribute value, such as {@code cancel}. */
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

    /** The defined stanza error conditions of RFC 6120 section 8.3.3, each with the RFC's default type. */
    public enum Condition {
        /** 8.3.3.1. */
        BAD_REQUEST(Type.MODIFY),
        /** 8.3.3.2. */
        CONFLICT(Type.CANCEL),
        /** 8.3.3.3. */
        FEATURE_NOT_IMPLEMENTED(Type.CANCEL),
        /** 8.3.3.4. */
        FORBIDDEN(Type.AUTH),
        /** 8.3.3.5. */
        GONE(Type.CANCEL),
        /** 8.3.3.6. */
        INTERNAL_SERVER_ERROR(Type.CANCEL),
        /** 8.3.3.7. */
        ITEM_NOT_FOUND(Type.CANCEL),
        /** 8.3.3.8. */
        JID_MALFORMED(Type.MODIFY),
        /** 8.3.3.9. */
        NOT_ACCEPTABLE(Type.MODIFY),
        /** 8.3.3.10. */
        NOT_ALLOWED(Type.CANCEL),
        /** 8.3.3.11. */
        NOT_AUTHORIZED(Type.AUTH),
        /** 8.3.3.12. */
        POLICY_VIOLATION(Type.MODIFY),
        /** 8.3.3.13. */
        RECIPIENT_UNAVAILABLE(Type.WAIT),
        /** 8.3.3.14. */
        REDIRECT(Type.MODIFY),
        /** 8.3.3.15. */
        REGISTRATION_REQUIRED(Type.AUTH),
        /** 8.3.3.16. */
        REMOTE_SERVER_NOT_FOUND(Type.CANCEL),
        /** 8.3.3.17. */
        REMOTE_SERVER_TIMEOUT(Type.WAIT),
        /** 8.3.3.18. */
        RESOURCE_CONSTRAINT(Type.WAIT),
        /** 8.3.3.19. */
        SERVICE_UNAVAILABLE(Type.CANCEL),
        /** 8.3.3.20. */
        SUBSCRIPTION_REQUIRED(Type.AUTH),
        /** 8.3.3.21: the RFC allows any type; cancel is the default here. */
        UNDEFINED_CONDITION(Type.CANCEL),
        /** 8.3.3.22. */
        UNEXPECTED_REQUEST(Type.WAIT);

        private final Type defaultType;
        private final String elementName = name().toLowerCase(Locale.ROOT).replace('_', '-');

        Condition(Type defaultType) {
            this.defaultType = defaultType;
        }

        /** The type RFC 6120 section 8.3.3 gives for this condition. */
        public Type defaultType() {
            return defaultType;
        }

        /** Whether the condition element may carry a new address (8.3.3.5 {@code gone}, 8.3.3.14 {@code redirect}). */
        public boolean hasNewAddress() {
            return this == GONE || this == REDIRECT;
        }

        /** The element name on the wire, such as {@code service-unavailable}. */
        public String elementName() {
            return elementName;
        }

        /** The condition with this element name, or {@code null}. */
        public static @Nullable Condition fromElementName(String name) {
            for (Condition c : values()) {
                if (c.elementName.equals(name)) {
                    return c;
                }
            }
            return null;
        }
    }
}
