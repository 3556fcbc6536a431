package org.fluxmpp.stream;

import java.util.Objects;

/**
 * Signals a {@link StreamError}: raised where a stream must end (by the codec on bad input, by a negotiation stage on
 * a protocol violation), and signalled to users when the peer sent one.
 *
 * <pre>{@code
 * throw new StreamErrorException(StreamError.of(StreamError.Condition.HOST_UNKNOWN));
 * }</pre>
 */
public class StreamErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient StreamError error;

    /** An exception carrying this error; the message is the condition and text. */
    public StreamErrorException(StreamError error) {
        super(message(error));
        this.error = Objects.requireNonNull(error, "error");
    }

    /** An exception for this condition with a descriptive text. */
    public StreamErrorException(StreamError.Condition condition, String text) {
        this(StreamError.of(condition).withText(text));
    }

    /** The stream error. */
    public StreamError error() {
        return error;
    }

    /** The stream error's condition. */
    public StreamError.Condition condition() {
        return error.condition();
    }

    private static String message(StreamError error) {
        return error.text() == null ? error.condition().elementName()
                : error.condition().elementName() + ": " + error.text();
    }
}
