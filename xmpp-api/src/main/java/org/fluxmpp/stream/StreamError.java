package org.fluxmpp.stream;

import java.util.Locale;
import java.util.Objects;
import javax.xml.XMLConstants;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * A stream error (RFC 6120 section 4.9): an unrecoverable error that ends the stream that raised it.
 *
 * <p>On the wire: {@code <stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>},
 * optionally with a human-readable {@code <text/>} and one application-specific condition element. The sender closes
 * the stream right after it (section 4.9.1.1).
 *
 * <pre>{@code
 * StreamError e = StreamError.of(StreamError.Condition.POLICY_VIOLATION)
 *     .withText("stanza too big")
 *     .withApplicationCondition(XmlElement.empty("urn:xmpp:errors", "stanza-too-big"));
 * XmlElement wire = e.toElement();
 * }</pre>
 *
 * <p>{@code see-other-host} (4.9.3.19) carries where to go as the condition element's content:
 * {@code StreamError.seeOtherHost("xmpp2.example.com:5222")}.
 *
 * @param condition   the defined condition (section 4.9.3)
 * @param text        descriptive text for humans, or {@code null}
 * @param lang        the {@code xml:lang} of the text, or {@code null}
 * @param application an application-specific condition element, or {@code null}
 * @param otherHost   for {@link Condition#SEE_OTHER_HOST} only: the host to connect to instead, a domain name or an
 *                    IP address (IPv6 in brackets), optionally with {@code :port}; otherwise {@code null}
 */
public record StreamError(Condition condition, @Nullable String text, @Nullable String lang,
                          @Nullable XmlElement application, @Nullable String otherHost) {

    /** The namespace of the stream element and of {@code <stream:error>}: {@value}. */
    public static final String STREAM_NAMESPACE = "http://etherx.jabber.org/streams";
    /** The namespace of the defined conditions and of {@code <text/>}: {@value}. */
    public static final String CONDITIONS_NAMESPACE = "urn:ietf:params:xml:ns:xmpp-streams";

    /**
     * Checks the condition is present, and that only {@code see-other-host} names another host.
     *
     * @throws IllegalArgumentException when {@code otherHost} is set for another condition, or is blank
     */
    public StreamError {
        Objects.requireNonNull(condition, "condition");
        if (otherHost != null && (condition != Condition.SEE_OTHER_HOST || otherHost.isBlank())) {
            throw new IllegalArgumentException("otherHost belongs to a non-blank see-other-host only: " + otherHost);
        }
    }

    /** A stream error without another host (every condition but {@code see-other-host} has none). */
    public StreamError(Condition condition, @Nullable String text, @Nullable String lang,
                       @Nullable XmlElement application) {
        this(condition, text, lang, application, null);
    }

    /** A stream error with only a defined condition. */
    public static StreamError of(Condition condition) {
        return new StreamError(condition, null, null, null);
    }

    /**
     * {@code see-other-host} (RFC 6120 4.9.3.19): the peer should connect to {@code host} instead.
     *
     * @param host a domain name or an IP address (IPv6 in brackets), optionally with {@code :port}
     * @throws IllegalArgumentException when it is blank
     */
    public static StreamError seeOtherHost(String host) {
        return new StreamError(Condition.SEE_OTHER_HOST, null, null, null, host);
    }

    /** A copy with this descriptive text (no language). */
    public StreamError withText(@Nullable String text) {
        return new StreamError(condition, text, lang, application, otherHost);
    }

    /** A copy with this application-specific condition element. */
    public StreamError withApplicationCondition(@Nullable XmlElement application) {
        return new StreamError(condition, text, lang, application, otherHost);
    }

    /** This error as a {@code <stream:error>} element. */
    public XmlElement toElement() {
        XmlElement.Builder conditionElement = XmlElement.builder(CONDITIONS_NAMESPACE, condition.elementName());
        if (otherHost != null) {
            conditionElement.text(otherHost);
        }
        XmlElement.Builder b = XmlElement.builder(STREAM_NAMESPACE, "error").child(conditionElement.build());
        if (text != null) {
            b.child(XmlElement.builder(CONDITIONS_NAMESPACE, "text")
                    .attribute(XMLConstants.XML_NS_URI, "lang", lang).text(text).build());
        }
        if (application != null) {
            b.child(application);
        }
        return b.build();
    }

    /**
     * Reads a {@code <stream:error>} element. An unknown or missing condition reads as
     * {@link Condition#UNDEFINED_CONDITION}, as a receiver must still end the stream.
     *
     * @throws IllegalArgumentException if the element is not a {@code <stream:error>}
     */
    public static StreamError fromElement(XmlElement element) {
        if (!element.is(STREAM_NAMESPACE, "error")) {
            throw new IllegalArgumentException("not a stream error: " + element.name());
        }
        Condition condition = Condition.UNDEFINED_CONDITION;
        String text = null;
        String lang = null;
        XmlElement app = null;
        String otherHost = null;
        for (XmlElement c : element.children()) {
            if (c.namespace().equals(CONDITIONS_NAMESPACE)) {
                if (c.localName().equals("text")) {
                    text = c.text();
                    lang = c.lang();
                } else {
                    Condition parsed = Condition.fromElementName(c.localName());
                    if (parsed != null) {
                        condition = parsed;
                        String content = c.text().strip();
                        otherHost = parsed == Condition.SEE_OTHER_HOST && !content.isEmpty() ? content : null;
                    }
                }
            } else if (app == null) {
                app = c;
            }
        }
        return new StreamError(condition, text, lang, app, otherHost);
    }

    /** The defined stream error conditions of RFC 6120 section 4.9.3, in the RFC's order. */
    public enum Condition {
        /** 4.9.3.1: XML that cannot be processed. */
        BAD_FORMAT,
        /** 4.9.3.2: a namespace prefix that is not supported, or none where one is required. */
        BAD_NAMESPACE_PREFIX,
        /** 4.9.3.3: a new stream for this entity conflicts with this one. */
        CONFLICT,
        /** 4.9.3.4: no traffic for too long, or negotiation not finished in time. */
        CONNECTION_TIMEOUT,
        /** 4.9.3.5: the {@code to} names a host this server no longer serves. */
        HOST_GONE,
        /** 4.9.3.6: the {@code to} names a host this server does not serve. */
        HOST_UNKNOWN,
        /** 4.9.3.7: a stanza lacks a {@code to} or {@code from} that is required. */
        IMPROPER_ADDRESSING,
        /** 4.9.3.8: the server cannot go on with the stream. */
        INTERNAL_SERVER_ERROR,
        /** 4.9.3.9: a {@code from} that the peer is not allowed to use. */
        INVALID_FROM,
        /** 4.9.3.10: a wrong stream or content namespace. */
        INVALID_NAMESPACE,
        /** 4.9.3.11: XML that fails validation. */
        INVALID_XML,
        /** 4.9.3.12: data sent before the stream was authenticated. */
        NOT_AUTHORIZED,
        /** 4.9.3.13: XML that is not well-formed, or not UTF-8. */
        NOT_WELL_FORMED,
        /** 4.9.3.14: a local policy was violated (size, rate, ...). */
        POLICY_VIOLATION,
        /** 4.9.3.15: a remote server could not be reached. */
        REMOTE_CONNECTION_FAILED,
        /** 4.9.3.16: the stream needs to be reset (for example, security credentials changed). */
        RESET,
        /** 4.9.3.17: the server lacks the resources to serve the stream. */
        RESOURCE_CONSTRAINT,
        /** 4.9.3.18: a comment, processing instruction, DTD, or entity reference. */
        RESTRICTED_XML,
        /** 4.9.3.19: connect to another host instead (the host is the error's text content). */
        SEE_OTHER_HOST,
        /** 4.9.3.20: the server is shutting down. */
        SYSTEM_SHUTDOWN,
        /** 4.9.3.21: none of the others; used with an application-specific condition. */
        UNDEFINED_CONDITION,
        /** 4.9.3.22: an encoding other than UTF-8. */
        UNSUPPORTED_ENCODING,
        /** 4.9.3.23: a mandatory-to-negotiate feature the peer does not support. */
        UNSUPPORTED_FEATURE,
        /** 4.9.3.24: a first-level child that is not a supported stanza. */
        UNSUPPORTED_STANZA_TYPE,
        /** 4.9.3.25: a stream version the peer does not support. */
        UNSUPPORTED_VERSION;

        private final String elementName = name().toLowerCase(Locale.ROOT).replace('_', '-');

        /** The element name on the wire, such as {@code host-unknown}. */
        public String elementName() {
            return elementName;
        }

        /** The condition with this element name, or {@code null} when it is not defined. */
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
