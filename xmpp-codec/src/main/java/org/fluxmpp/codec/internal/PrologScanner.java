package org.fluxmpp.codec.internal;

import java.nio.ByteBuffer;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;

/**
 * Refuses a DTD or a comment before the stream element, looking at the raw bytes of the prolog.
 *
 * <p>Aalto reports a simple {@code <!DOCTYPE x>} as an event, but fails on an internal subset
 * ({@code <!DOCTYPE x [...]>}) with an ordinary syntax error, which would read as {@code not-well-formed} instead
 * of {@code restricted-xml} (RFC 6120 section 11.1). Every {@code <!} in the prolog starts a DTD or a comment (or
 * is malformed), so seeing one is enough, and the billion-laughs and external-entity documents fail before Aalto
 * reads a byte of their declarations. Processing instructions are skipped here: Aalto reports them as events.
 * Scanning stops at the start of the stream element. Not thread-safe; one per stream.
 */
public final class PrologScanner {

    private static final int OUTSIDE = 0;
    private static final int AFTER_LT = 1;
    private static final int IN_PI = 2;
    private static final int IN_PI_AFTER_QUESTION = 3;
    private static final int DONE = 4;

    private int state = OUTSIDE;

    /** Starts over, for a new document. */
    public void reset() {
        state = OUTSIDE;
    }

    /** Whether the stream element has started, so that no further bytes need scanning. */
    public boolean done() {
        return state == DONE;
    }

    /**
     * Scans bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code buf}, by absolute index.
     *
     * @throws StreamErrorException {@code restricted-xml} at a {@code <!} in the prolog
     */
    public void scan(ByteBuffer buf, int from, int to) {
        for (int i = from; i < to && state != DONE; i++) {
            byte b = buf.get(i);
            switch (state) {
                case OUTSIDE -> {
                    if (b == '<') {
                        state = AFTER_LT;
                    }
                }
                case AFTER_LT -> {
                    if (b == '!') {
                        throw new StreamErrorException(StreamError.Condition.RESTRICTED_XML,
                                "a DTD or comment in the stream prolog (RFC 6120 section 11.1)");
                    }
                    state = b == '?' ? IN_PI : DONE;
                }
                case IN_PI -> {
                    if (b == '?') {
                        state = IN_PI_AFTER_QUESTION;
                    }
                }
                default -> {
                    if (b == '>') {
                        state = OUTSIDE;
                    } else if (b != '?') {
                        state = IN_PI;
                    }
                }
            }
        }
    }
}
