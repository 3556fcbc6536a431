package org.fluxmpp.codec.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    /** Reads eight bytes of an array at once, in whatever order is fastest: only the high bits are looked at. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

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
     * may continue in the next call. Any byte order is read correctly; the native order is read fastest.
     *
     * @throws StreamErrorException {@code not-well-formed} at the first byte that cannot be UTF-8
     */
    public void validate(ByteBuffer buf, int from, int to) {
        if (buf.hasArray()) {
            int offset = buf.arrayOffset();
            validate(buf.array(), offset + from, offset + to);
            return;
        }
        // The state lives in locals inside the loop, so that the JIT keeps it in registers.
        int p = pending;
        int lo = low;
        int hi = high;
        int i = from;
        while (i < to) {
            if (p == 0) {
                while (to - i >= 8 && (buf.getLong(i) & NON_ASCII) == 0) {
                    i += 8;
                }
                if (i == to) {
                    break;
                }
            }
            int b = buf.get(i++) & 0xFF;
            if (p > 0) {
                if (b < lo || b > hi) {
                    throw invalid(b);
                }
                p--;
                lo = 0x80;
                hi = 0xBF;
            } else if (b >= 0x80) {
                p = lead(b);
                lo = low(b);
                hi = high(b);
            }
        }
        pending = p;
        low = lo;
        high = hi;
    }

    private void validate(byte[] a, int from, int to) {
        int p = pending;
        int lo = low;
        int hi = high;
        int i = from;
        while (i < to) {
            if (p == 0) {
                while (to - i >= 8 && ((long) LONGS.get(a, i) & NON_ASCII) == 0) {
                    i += 8;
                }
                if (i == to) {
                    break;
                }
            }
            int b = a[i++] & 0xFF;
            if (p > 0) {
                if (b < lo || b > hi) {
                    throw invalid(b);
                }
                p--;
                lo = 0x80;
                hi = 0xBF;
            } else if (b >= 0x80) {
                p = lead(b);
                lo = low(b);
                hi = high(b);
            }
        }
        pending = p;
        low = lo;
        high = hi;
    }

    /** The number of continuation bytes after lead byte {@code b}. */
    private static int lead(int b) {
        if (b < 0xC2 || b > 0xF4) {
            // 80..BF: a continuation byte with no lead; C0, C1: overlong two-byte forms; F5..FF: beyond U+10FFFF.
            throw invalid(b);
        }
        return b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    }

    /** The lowest allowed byte after lead {@code b}: higher after E0 and F0, where lower ones are overlong. */
    private static int low(int b) {
        return b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
    }

    /** The highest allowed byte after lead {@code b}: lower after ED (surrogates) and F4 (beyond U+10FFFF). */
    private static int high(int b) {
        return b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
    }

    private static StreamErrorException invalid(int b) {
        return new StreamErrorException(StreamError.Condition.NOT_WELL_FORMED,
                String.format("invalid UTF-8 byte 0x%02X (RFC 6120 section 11.6)", b));
    }
}
