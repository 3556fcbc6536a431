package org.fluxmpp.codec.internal;

import java.nio.ByteBuffer;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;

/**
 * Checks that a byte stream is well-formed UTF-8 (RFC 3629 section 4), across buffer boundaries.
 *
 * <p>It exists because Aalto's UTF-8 decoder accepts overlong forms ({@code C0 80} reads as U+0000,
 * {@code E0 80 AF} as {@code /}) and sequences above U+10FFFF, and RFC 6120 section 11.6 allows only UTF-8. Runs of
 * ASCII, nearly all of an XMPP stream, are skipped eight bytes at a time. Not thread-safe; one per stream.
 */
public final class Utf8Validator {

    private static final long NON_ASCII = 0x8080_8080_8080_8080L;

    /** Continuation bytes still expected for the current sequence. */
    private int pending;
    /** The range allowed for the next continuation byte (narrower after E0, ED, F0 and F4). */
    private int low = 0x80;
    private int high = 0xBF;

    /** Forgets a sequence in progress: the next byte starts a new character. */
    public void reset() {
        pending = 0;
        low = 0x80;
        high = 0xBF;
    }

    /**
     * Checks bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code buf}, by absolute index; a sequence
     * may continue in the next call.
     *
     * @throws StreamErrorException {@code not-well-formed} at the first byte that cannot be UTF-8
     */
    public void validate(ByteBuffer buf, int from, int to) {
        int i = from;
        while (i < to) {
            if (pending == 0 && to - i >= 8 && (buf.getLong(i) & NON_ASCII) == 0) {
                i += 8;
                continue;
            }
            int b = buf.get(i) & 0xFF;
            if (pending > 0) {
                if (b < low || b > high) {
                    throw invalid(b);
                }
                pending--;
                low = 0x80;
                high = 0xBF;
            } else if (b >= 0x80) {
                lead(b);
            }
            i++;
        }
    }

    private void lead(int b) {
        if (b < 0xC2) {
            // 80..BF: a continuation byte with no lead; C0, C1: overlong two-byte forms.
            throw invalid(b);
        } else if (b < 0xE0) {
            pending = 1;
        } else if (b < 0xF0) {
            pending = 2;
            if (b == 0xE0) {
                low = 0xA0;     // below: overlong
            } else if (b == 0xED) {
                high = 0x9F;    // above: UTF-16 surrogates
            }
        } else if (b < 0xF5) {
            pending = 3;
            if (b == 0xF0) {
                low = 0x90;     // below: overlong
            } else if (b == 0xF4) {
                high = 0x8F;    // above: beyond U+10FFFF
            }
        } else {
            throw invalid(b);
        }
    }

    private static StreamErrorException invalid(int b) {
        return new StreamErrorException(StreamError.Condition.NOT_WELL_FORMED,
                String.format("invalid UTF-8 byte 0x%02X (RFC 6120 section 11.6)", b));
    }
}
