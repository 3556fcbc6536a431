package org.fluxmpp.codec;

import org.jspecify.annotations.Nullable;

/**
 * The bounds {@link XmppStreamDecoder} enforces on what a peer sends (RFC 6120 section 13.12); immutable.
 *
 * <pre>{@code
 * DecoderLimits limits = DecoderLimits.defaults()
 *     .withMaxStanzaBytes(1 << 20)          // 1 MiB stanzas, for in-band file transfer
 *     .withMaxTextLength(1 << 20);
 * XmppStreamDecoder decoder = new XmppStreamDecoder(limits);
 * }</pre>
 *
 * <p>Crossing any limit ends the stream with a {@code policy-violation} stream error (RFC 6120 section 4.9.3.14);
 * crossing {@link #maxStanzaBytes()} adds the application condition
 * {@code <stanza-too-big xmlns='urn:xmpp:errors'/>} (XEP-0205). Sizes are counted as the bytes arrive, so an
 * oversized element is refused before it has been read whole.
 *
 * <table>
 *   <caption>Limits and defaults</caption>
 *   <tr><th>limit</th><th>unit</th><th>default</th></tr>
 *   <tr><td>{@link #maxStanzaBytes()}</td><td>bytes per first-level element</td>
 *       <td>{@value #DEFAULT_MAX_STANZA_BYTES}</td></tr>
 *   <tr><td>{@link #maxHeaderBytes()}</td><td>bytes from the start of the stream to the end of its open tag</td>
 *       <td>{@value #DEFAULT_MAX_HEADER_BYTES}</td></tr>
 *   <tr><td>{@link #maxDepth()}</td><td>nesting levels, the first-level element being level 1</td>
 *       <td>{@value #DEFAULT_MAX_DEPTH}</td></tr>
 *   <tr><td>{@link #maxAttributes()}</td><td>attributes plus namespace declarations per element</td>
 *       <td>{@value #DEFAULT_MAX_ATTRIBUTES}</td></tr>
 *   <tr><td>{@link #maxAttributeValueLength()}</td><td>chars per attribute value</td>
 *       <td>{@value #DEFAULT_MAX_ATTRIBUTE_VALUE_LENGTH}</td></tr>
 *   <tr><td>{@link #maxTextLength()}</td><td>chars per run of text between two tags</td>
 *       <td>{@value #DEFAULT_MAX_TEXT_LENGTH}</td></tr>
 * </table>
 */
public final class DecoderLimits {

    /** The default of {@link #maxStanzaBytes()}: {@value} bytes (256 KiB). */
    public static final int DEFAULT_MAX_STANZA_BYTES = 262_144;
    /**
     * The smallest accepted {@link #maxStanzaBytes()}: {@value} bytes, the least a server must accept (RFC 6120
     * section 13.12).
     */
    public static final int MIN_MAX_STANZA_BYTES = 10_000;
    /** The default of {@link #maxHeaderBytes()}: {@value} bytes; room for the longest legal {@code to} and
     * {@code from} (3071 bytes each, RFC 7622 section 3.1). */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16_384;
    /** The default of {@link #maxDepth()}: {@value} levels. */
    public static final int DEFAULT_MAX_DEPTH = 32;
    /** The default of {@link #maxAttributes()}: {@value} attributes and namespace declarations. */
    public static final int DEFAULT_MAX_ATTRIBUTES = 64;
    /** The default of {@link #maxAttributeValueLength()}: {@value} chars. */
    public static final int DEFAULT_MAX_ATTRIBUTE_VALUE_LENGTH = 16_384;
    /**
     * The default of {@link #maxTextLength()}: {@value} chars. As large as the default stanza size, so that
     * in-band bytestream blocks (up to 65535 bytes, 87380 chars of base64: XEP-0047) fit; it matters when the
     * stanza size is raised.
     */
    public static final int DEFAULT_MAX_TEXT_LENGTH = 262_144;

    private static final DecoderLimits DEFAULTS = new DecoderLimits(DEFAULT_MAX_STANZA_BYTES,
            DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ATTRIBUTES, DEFAULT_MAX_ATTRIBUTE_VALUE_LENGTH,
            DEFAULT_MAX_TEXT_LENGTH);

    private final int maxStanzaBytes;
    private final int maxHeaderBytes;
    private final int maxDepth;
    private final int maxAttributes;
    private final int maxAttributeValueLength;
    private final int maxTextLength;

    private DecoderLimits(int maxStanzaBytes, int maxHeaderBytes, int maxDepth, int maxAttributes,
                          int maxAttributeValueLength, int maxTextLength) {
        this.maxStanzaBytes = maxStanzaBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxDepth = maxDepth;
        this.maxAttributes = maxAttributes;
        this.maxAttributeValueLength = maxAttributeValueLength;
        this.maxTextLength = maxTextLength;
    }

    /** The default limits (see the table above). */
    public static DecoderLimits defaults() {
        return DEFAULTS;
    }

    /**
     * The most bytes one first-level element (a stanza, or a negotiation element) may take on the wire, from its
     * {@code <} to the {@code >} of its end tag, whitespace before it not counted.
     */
    public int maxStanzaBytes() {
        return maxStanzaBytes;
    }

    /** The most bytes from the start of the stream (XML declaration included) to the end of the stream open tag. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** The deepest nesting inside a first-level element; the first-level element itself is level 1. */
    public int maxDepth() {
        return maxDepth;
    }

    /** The most attributes plus namespace declarations on one element (the stream open tag included). */
    public int maxAttributes() {
        return maxAttributes;
    }

    /** The longest attribute value, in chars (UTF-16 code units) after entity expansion. */
    public int maxAttributeValueLength() {
        return maxAttributeValueLength;
    }

    /** The longest run of character data between two tags, in chars (UTF-16 code units). */
    public int maxTextLength() {
        return maxTextLength;
    }

    /**
     * A copy with this stanza size limit.
     *
     * @param bytes the limit, at least {@value #MIN_MAX_STANZA_BYTES}
     * @throws IllegalArgumentException if {@code bytes} is below {@value #MIN_MAX_STANZA_BYTES}
     */
    public DecoderLimits withMaxStanzaBytes(int bytes) {
        if (bytes < MIN_MAX_STANZA_BYTES) {
            throw new IllegalArgumentException("maxStanzaBytes must be at least " + MIN_MAX_STANZA_BYTES
                    + " (RFC 6120 section 13.12), was " + bytes);
        }
        return new DecoderLimits(bytes, maxHeaderBytes, maxDepth, maxAttributes, maxAttributeValueLength,
                maxTextLength);
    }

    /**
     * A copy with this stream header size limit.
     *
     * @param bytes the limit, at least 1
     * @throws IllegalArgumentException if {@code bytes} is below 1
     */
    public DecoderLimits withMaxHeaderBytes(int bytes) {
        return new DecoderLimits(maxStanzaBytes, positive("maxHeaderBytes", bytes), maxDepth, maxAttributes,
                maxAttributeValueLength, maxTextLength);
    }

    /**
     * A copy with this depth limit.
     *
     * @param levels the limit, at least 1
     * @throws IllegalArgumentException if {@code levels} is below 1
     */
    public DecoderLimits withMaxDepth(int levels) {
        return new DecoderLimits(maxStanzaBytes, maxHeaderBytes, positive("maxDepth", levels), maxAttributes,
                maxAttributeValueLength, maxTextLength);
    }

    /**
     * A copy with this limit on attributes plus namespace declarations per element.
     *
     * @param count the limit, at least 1
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public DecoderLimits withMaxAttributes(int count) {
        return new DecoderLimits(maxStanzaBytes, maxHeaderBytes, maxDepth, positive("maxAttributes", count),
                maxAttributeValueLength, maxTextLength);
    }

    /**
     * A copy with this attribute value length limit.
     *
     * @param chars the limit, at least 1
     * @throws IllegalArgumentException if {@code chars} is below 1
     */
    public DecoderLimits withMaxAttributeValueLength(int chars) {
        return new DecoderLimits(maxStanzaBytes, maxHeaderBytes, maxDepth, maxAttributes,
                positive("maxAttributeValueLength", chars), maxTextLength);
    }

    /**
     * A copy with this text length limit.
     *
     * @param chars the limit, at least 1
     * @throws IllegalArgumentException if {@code chars} is below 1
     */
    public DecoderLimits withMaxTextLength(int chars) {
        return new DecoderLimits(maxStanzaBytes, maxHeaderBytes, maxDepth, maxAttributes, maxAttributeValueLength,
                positive("maxTextLength", chars));
    }

    private static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof DecoderLimits l && l.maxStanzaBytes == maxStanzaBytes
                && l.maxHeaderBytes == maxHeaderBytes && l.maxDepth == maxDepth && l.maxAttributes == maxAttributes
                && l.maxAttributeValueLength == maxAttributeValueLength && l.maxTextLength == maxTextLength;
    }

    @Override
    public int hashCode() {
        int h = maxStanzaBytes;
        h = h * 31 + maxHeaderBytes;
        h = h * 31 + maxDepth;
        h = h * 31 + maxAttributes;
        h = h * 31 + maxAttributeValueLength;
        return h * 31 + maxTextLength;
    }

    @Override
    public String toString() {
        return "DecoderLimits[maxStanzaBytes=" + maxStanzaBytes + ", maxHeaderBytes=" + maxHeaderBytes
                + ", maxDepth=" + maxDepth + ", maxAttributes=" + maxAttributes + ", maxAttributeValueLength="
                + maxAttributeValueLength + ", maxTextLength=" + maxTextLength + "]";
    }
}
