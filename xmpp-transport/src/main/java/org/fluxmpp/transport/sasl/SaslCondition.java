package org.fluxmpp.transport.sasl;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The SASL failure conditions of RFC 6120 section 6.5, sent as the child of {@code <failure/>}. */
public enum SaslCondition {
    /** 6.5.1: the client aborted the exchange. */
    ABORTED,
    /** 6.5.2: the account is disabled. */
    ACCOUNT_DISABLED,
    /** 6.5.3: the credentials have expired. */
    CREDENTIALS_EXPIRED,
    /** 6.5.4: the mechanism needs TLS first. */
    ENCRYPTION_REQUIRED,
    /** 6.5.5: the data was not valid Base64. */
    INCORRECT_ENCODING,
    /** 6.5.6: the authorization identity is not allowed. */
    INVALID_AUTHZID,
    /** 6.5.7: the mechanism is not offered. */
    INVALID_MECHANISM,
    /** 6.5.8: the request is malformed. */
    MALFORMED_REQUEST,
    /** 6.5.9: the mechanism is weaker than server policy allows. */
    MECHANISM_TOO_WEAK,
    /** 6.5.10: the credentials are wrong. */
    NOT_AUTHORIZED,
    /** 6.5.11: a temporary error on the server's side; the client may retry. */
    TEMPORARY_AUTH_FAILURE;

    /** The SASL namespace: {@value}. */
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-sasl";

    private final String elementName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The element name, such as {@code not-authorized}. */
    public String elementName() {
        return elementName;
    }

    /** The condition with this element name, or {@code null}. */
    public static @Nullable SaslCondition fromElementName(String name) {
        for (SaslCondition c : values()) {
            if (c.elementName.equals(name)) {
                return c;
            }
        }
        return null;
    }
}
