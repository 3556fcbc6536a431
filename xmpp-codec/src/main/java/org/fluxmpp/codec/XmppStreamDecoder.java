package org.fluxmpp.codec;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.fluxmpp.codec.internal.ElementAssembler;
import org.fluxmpp.codec.internal.PrologScanner;
import org.fluxmpp.codec.internal.StringCache;
import org.fluxmpp.codec.internal.Utf8Validator;
import org.fluxmpp.codec.internal.XmlFactories;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamError.Condition;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the bytes of one XML stream (RFC 6120 section 4) into {@link StreamEvent}s: the stream header, one
 * {@link XmlElement} per first-level child, and the stream close. One decoder per connection; not thread-safe.
 *
 * <pre>{@code
 * XmppStreamDecoder decoder = new XmppStreamDecoder(DecoderLimits.defaults());
 * // for every buffer read from the socket, in order:
 * try {
 *     decoder.decode(buf, events::add);
 * } finally {
 *     buf.release();                       // the caller owns the buffer; the decoder keeps no reference
 * }
 * // after STARTTLS or SASL success (RFC 6120 section 4.3.3):
 * decoder.reset();
 * }</pre>
 *
 * <p>Bytes may be split anywhere (inside a tag, an attribute or a multi-byte character); the decoder keeps the
 * partial state. Whitespace between first-level elements (keepalives, section 11.7) is skipped. The namespace of
 * each element is resolved as XML says: a stanza without {@code xmlns} is in the stream's default namespace, such as
 * {@code jabber:client}.
 *
 * <p>Every problem ends the stream with a {@link StreamErrorException} thrown from {@link #decode decode}, after
 * which the decoder refuses further input until {@link #reset()}:
 * <table>
 *   <caption>Stream errors raised</caption>
 *   <tr><th>input</th><th>condition (RFC 6120 section 4.9.3)</th></tr>
 *   <tr><td>a DTD, comment, processing instruction or entity reference other than the five predefined ones
 *       (section 11.1); nothing is ever loaded or expanded</td><td>{@code restricted-xml}</td></tr>
 *   <tr><td>malformed XML, bytes that are not UTF-8 (section 11.6), data after the stream's end</td>
 *       <td>{@code not-well-formed}</td></tr>
 *   <tr><td>an XML declaration naming an encoding other than UTF-8 (section 11.6)</td>
 *       <td>{@code unsupported-encoding}</td></tr>
 *   <tr><td>a stream element not in {@value StreamError#STREAM_NAMESPACE} (section 4.8.1)</td>
 *       <td>{@code invalid-namespace}</td></tr>
 *   <tr><td>the stream namespace declared as the default namespace instead of with a prefix (section 4.8.5)</td>
 *       <td>{@code bad-namespace-prefix}</td></tr>
 *   <tr><td>a root named other than {@code stream}, non-whitespace text between first-level elements, an XML
 *       version other than 1.0</td><td>{@code bad-format}</td></tr>
 *   <tr><td>a {@link DecoderLimits} limit crossed (section 13.12); the stanza size limit adds
 *       {@code <stanza-too-big xmlns='urn:xmpp:errors'/>}</td><td>{@code policy-violation}</td></tr>
 *   <tr><td>data after a restart point in the same buffer (see {@link #reset()})</td>
 *       <td>{@code policy-violation}</td></tr>
 * </table>
 *
 * <p>Memory: the decoder keeps no reference to the caller's buffers between calls. While a stream is open, the
 * parser's buffers and name tables take about 5 KB (measured with a typical client stream), and short attribute
 * values and texts that repeat (shared between stanzas rather than created anew) up to about 7 KB more, typically a
 * few hundred bytes; {@link #compact()} gives them back while the connection is idle, leaving about 0.5 KB.
 *
 * <p>Sizes are checked as bytes arrive: input is handed to the parser in slices of at most
 * {@value #SLICE_BYTES} bytes, so an oversized element or header fails at most one slice after crossing its limit,
 * whatever the size of the buffer it came in.
 */
public final class XmppStreamDecoder {

    /** The largest piece of input handed to the parser at once: {@value} bytes. */
    public static final int SLICE_BYTES = 8192;

    /** The namespace of the application condition added to a stanza size violation (XEP-0205): {@value}. */
    public static final String XMPP_ERRORS_NAMESPACE = "urn:xmpp:errors";

    private static final AsyncXMLInputFactory FACTORY = XmlFactories.newInputFactory();
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final String[] NO_STRINGS = new String[0];
    private static final XmlElement STANZA_TOO_BIG = XmlElement.empty(XMPP_ERRORS_NAMESPACE, "stanza-too-big");
    private static final String RESTART_TEXT = "data after a stream restart point; the peer must wait for the"
            + " restart (RFC 6120 sections 5.4.3.3 and 6.4.6)";

    private enum State {
        /** Before the stream element's open tag has been read. */
        PROLOG,
        /** The stream element is open: reading first-level elements. */
        OPEN,
        /** The stream element was closed: only whitespace may follow. */
        CLOSED,
        /** An error was raised; nothing more is read until {@link #reset()}. */
        FAILED
    }

    private final DecoderLimits limits;
    private final ElementAssembler assembler;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final PrologScanner prolog = new PrologScanner();
    private final StringCache strings = new StringCache();

    /** The parser; {@code null} until input arrives, and again after {@link #compact()}. */
    private @Nullable AsyncXMLStreamReader<AsyncByteBufferFeeder> reader;
    /** The stream element's prefix and namespace declarations (prefix, URI pairs), to rebuild the parser. */
    private String streamPrefix = "";
    private String[] streamNamespaces = NO_STRINGS;
    private State state = State.PROLOG;
    /** Bytes fed to the current reader; the reader's byte offsets count from the same origin. */
    private long fed;
    /** Offset where the first-level element being read began: the end of what came before it. */
    private long boundary;
    /** Offset just past the event last emitted. */
    private long eventEnd;
    /** The start of a character split between two slices, held back until it is complete. */
    private final byte[] carry = new byte[4];
    private final ByteBuffer carryBuffer = ByteBuffer.wrap(carry);
    private int carryLength;
    private int carryNeeded;
    /** A {@link #decode} call is running. */
    private boolean decoding;
    /** {@link #reset()} was called by the consumer during the current {@link #decode} call. */
    private boolean restartedInDecode;

    /**
     * A decoder for one connection with these limits.
     *
     * @param limits the bounds to enforce
     * @throws NullPointerException if {@code limits} is {@code null}
     */
    public XmppStreamDecoder(DecoderLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.assembler = new ElementAssembler(limits.maxDepth(), limits.maxAttributes(),
                limits.maxAttributeValueLength(), limits.maxTextLength(), false, strings);
    }

    /** A decoder for one connection with {@link DecoderLimits#defaults()}. */
    public XmppStreamDecoder() {
        this(DecoderLimits.defaults());
    }

    /** The limits this decoder enforces. */
    public DecoderLimits limits() {
        return limits;
    }

    /**
     * Decodes all readable bytes of {@code in}, calling {@code out} for each complete event, in order.
     *
     * <p>The reader index of {@code in} moves to its writer index. The buffer is not released, and no reference to
     * its memory is kept after this method returns: release it when this returns or throws. Composite buffers are
     * read one component at a time, without copying.
     *
     * <p>{@code out} runs on the calling thread, before this method returns. It may call {@link #reset()} (to
     * restart the stream right after the element that calls for it); it must not call {@code decode}.
     *
     * @param in  the bytes, in stream order
     * @param out receives the events
     * @throws StreamErrorException  when the input breaks RFC 6120 or a limit (see the class description); the
     *                               decoder then refuses input until {@link #reset()}
     * @throws IllegalStateException when called after a failure without {@link #reset()}, or from {@code out}
     * @throws RuntimeException      whatever {@code out} throws, which also fails the decoder
     */
    public void decode(ByteBuf in, Consumer<? super StreamEvent> out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (decoding) {
            throw new IllegalStateException("decode() must not be called from its own consumer");
        }
        if (state == State.FAILED) {
            throw new IllegalStateException("the stream failed earlier; reset() the decoder to start a new one");
        }
        int readable = in.readableBytes();
        if (readable == 0) {
            return;
        }
        decoding = true;
        try {
            int count = in.nioBufferCount();
            if (count == 1) {
                feed(in.nioBuffer(), out);
            } else if (count > 1) {
                for (ByteBuffer b : in.nioBuffers()) {
                    feed(b, out);
                }
            } else {
                // A buffer with no NIO view at all: copy, rather than refuse it.
                feed(ByteBuffer.wrap(ByteBufUtil.getBytes(in)), out);
            }
            in.skipBytes(readable);
            detachInput();
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw e;
        } finally {
            decoding = false;
            restartedInDecode = false;
        }
    }

    /**
     * Starts a new stream on the same connection (RFC 6120 section 4.3.3), as after STARTTLS succeeded or SASL
     * succeeded: the parser is discarded and the next bytes must begin a new document, optionally with an XML
     * declaration, and a new stream header. Also clears a failure.
     *
     * <p>When called from the consumer of {@link #decode decode}, the bytes that followed the current element in
     * the same input are not carried over to the new stream: whitespace there is dropped, anything else fails with
     * {@code policy-violation}, because a peer must wait for the restart before it sends more (RFC 6120 sections
     * 5.4.3.3 and 6.4.6), and data sent before TLS is in place must never be read as if it came over TLS.
     */
    public void reset() {
        // The old reader is dropped, not closed: closing would merge its name table into the factory's shared one,
        // letting one peer's invented names grow the table every stream starts from.
        reader = null;
        state = State.PROLOG;
        fed = 0;
        boundary = 0;
        carryLength = 0;
        utf8.reset();
        prolog.reset();
        assembler.clear();
        strings.clear();
        if (decoding) {
            restartedInDecode = true;
        }
    }

    /**
     * Frees the parser's buffers and tables while the stream is idle between first-level elements: an open stream
     * then keeps a few hundred bytes instead of about 5 KB. The next {@link #decode decode} rebuilds the parser from
     * the stream element's namespace declarations, which costs a few microseconds, so call this when a connection
     * has gone quiet (from an idle timer, say), not after every read.
     *
     * <pre>{@code
     * pipeline.addLast(new IdleStateHandler(0, 0, 5));        // then, on the IdleStateEvent:
     * decoder.compact();
     * }</pre>
     *
     * @return {@code true} when memory was freed; {@code false} when the stream is not open, part of an element has
     *         been read, or the decoder is already compact
     * @throws IllegalStateException when called from the consumer of {@link #decode decode}
     */
    public boolean compact() {
        if (decoding) {
            throw new IllegalStateException("compact() must not be called from the consumer of decode()");
        }
        if (state != State.OPEN || reader == null || fed != boundary || carryLength > 0 || assembler.depth() > 0) {
            return false;
        }
        reader = null;
        strings.clear();
        return true;
    }

    /**
     * Whether the stream is open and every byte fed so far belongs to a complete first-level element (or to the
     * stream header): nothing of a next element has been read. XMPP over WebSocket (RFC 7395 section 3.3.3) uses this
     * to check that a message held exactly whole elements.
     */
    public boolean atElementBoundary() {
        return state == State.OPEN && fed == boundary && carryLength == 0 && assembler.depth() == 0;
    }

    private void feed(ByteBuffer buf, Consumer<? super StreamEvent> out) {
        // Slices start at position 0 so that the parser's byte offsets are offsets in the stream; native byte
        // order lets the UTF-8 check read eight bytes at once without swapping them (the parser reads bytes).
        ByteBuffer b = (buf.position() == 0 ? buf : buf.slice()).order(ByteOrder.nativeOrder());
        int length = b.remaining();
        for (int offset = 0; offset < length; offset += SLICE_BYTES) {
            int n = Math.min(SLICE_BYTES, length - offset);
            feedSlice(offset == 0 && n == length ? b : b.slice(offset, n).order(ByteOrder.nativeOrder()), n, out);
        }
    }

    private void feedSlice(ByteBuffer slice, int n, Consumer<? super StreamEvent> out) {
        if (restartedInDecode || state == State.CLOSED) {
            requireTrailingWhitespace(slice, 0, n);
            return;
        }
        utf8.validate(slice, 0, n);
        if (!prolog.done()) {
            prolog.scan(slice, 0, n);
        }
        int pos = 0;
        if (carryLength > 0) {
            // Complete the character left over from the previous slice and feed it alone.
            int take = Math.min(carryNeeded - carryLength, n);
            slice.get(0, carry, carryLength, take);
            carryLength += take;
            pos = take;
            if (carryLength < carryNeeded) {
                return;
            }
            carryBuffer.clear().limit(carryLength);
            carryLength = 0;
            int read = feedPiece(carryBuffer, out);
            if (read >= 0) {
                requireTrailingWhitespace(carryBuffer, read, carryBuffer.limit());
                requireTrailingWhitespace(slice, pos, n);
                return;
            }
        }
        int end = endOfLastCharacter(slice, pos, n);
        if (end > pos) {
            int read = feedPiece(pos == 0 && end == n ? slice : slice.slice(pos, end - pos), out);
            if (read >= 0) {
                requireTrailingWhitespace(slice, pos + read, n);
                return;
            }
        }
        if (end < n) {
            carryLength = n - end;
            slice.get(end, carry, 0, carryLength);
            carryNeeded = sequenceLength(carry[0]);
        }
        if (state == State.PROLOG && fed > limits.maxHeaderBytes()) {
            throw headerTooBig(fed);
        } else if (state == State.OPEN && fed - boundary > limits.maxStanzaBytes()) {
            throw stanzaTooBig(fed - boundary);
        }
    }

    /**
     * Hands one piece of input to the parser and reads all it yields.
     *
     * @return -1, or the number of bytes of the piece read when the stream closed or restarted inside it
     */
    private int feedPiece(ByteBuffer piece, Consumer<? super StreamEvent> out) {
        AsyncXMLStreamReader<AsyncByteBufferFeeder> r = reader != null ? reader : newReader();
        long start = fed;
        int length = piece.remaining();
        try {
            r.getInputFeeder().feedInput(piece);
            fed += length;
            drain(r, out);
        } catch (XMLStreamException e) {
            throw classify(e);
        }
        return restartedInDecode || state == State.CLOSED ? (int) (eventEnd - start) : -1;
    }

    /**
     * A parser for the current state: a fresh one before the stream header, or, after {@link #compact()}, one that
     * has read a stand-in for the stream element (same prefix, same namespace declarations) and so resolves names
     * and matches the closing tag exactly as the dropped one would.
     */
    private AsyncXMLStreamReader<AsyncByteBufferFeeder> newReader() {
        AsyncXMLStreamReader<AsyncByteBufferFeeder> r = FACTORY.createAsyncForByteBuffer();
        reader = r;
        if (state == State.OPEN) {
            byte[] header = resumeHeader();
            try {
                r.getInputFeeder().feedInput(ByteBuffer.wrap(header));
                int event;
                while ((event = r.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                    if (event != XMLStreamConstants.START_DOCUMENT && event != XMLStreamConstants.START_ELEMENT) {
                        throw new IllegalStateException("unexpected event " + event + " resuming the stream");
                    }
                }
            } catch (XMLStreamException e) {
                throw new IllegalStateException("cannot resume the stream", e);
            }
            fed = header.length;
            boundary = fed;
        }
        return r;
    }

    private byte[] resumeHeader() {
        StringBuilder sb = new StringBuilder(128).append('<').append(streamPrefix).append(":stream");
        for (int i = 0; i < streamNamespaces.length; i += 2) {
            sb.append(streamNamespaces[i].isEmpty() ? " xmlns" : " xmlns:").append(streamNamespaces[i]).append("='");
            String uri = streamNamespaces[i + 1];
            for (int j = 0; j < uri.length(); j++) {
                char c = uri.charAt(j);
                switch (c) {
                    case '&' -> sb.append("&amp;");
                    case '<' -> sb.append("&lt;");
                    case '\'' -> sb.append("&apos;");
                    default -> sb.append(c);
                }
            }
            sb.append('\'');
        }
        return sb.append('>').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The end of the last complete UTF-8 character in {@code [from, to)} of validated input. Aalto decodes a
     * four-byte character in an attribute value wrongly when it is split between two inputs (aalto-xml 1.3.3), so
     * no input handed to it ends inside a character.
     */
    private static int endOfLastCharacter(ByteBuffer buf, int from, int to) {
        for (int i = to - 1; i >= from && i >= to - 4; i--) {
            int b = buf.get(i) & 0xFF;
            if (b < 0x80) {
                return to;
            }
            if (b >= 0xC0) {
                return i + sequenceLength(b) <= to ? to : i;
            }
        }
        return to;
    }

    private static int sequenceLength(int lead) {
        int b = lead & 0xFF;
        return b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }

    /** After the stream closed or restarted, what is left of the input may only be whitespace. */
    private void requireTrailingWhitespace(ByteBuffer buf, int from, int to) {
        if (restartedInDecode) {
            requireWhitespace(buf, from, to, Condition.POLICY_VIOLATION, RESTART_TEXT);
        } else {
            requireWhitespace(buf, from, to, Condition.NOT_WELL_FORMED, "data after the end of the stream");
        }
    }

    /** Reads events until the parser needs more input, or until the stream closed or restarted. */
    private void drain(AsyncXMLStreamReader<AsyncByteBufferFeeder> r, Consumer<? super StreamEvent> out)
            throws XMLStreamException {
        int event;
        while ((event = r.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> startElement(r, out);
                case XMLStreamConstants.END_ELEMENT -> endElement(r, out);
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text(r);
                case XMLStreamConstants.START_DOCUMENT -> declaration(r);
                case XMLStreamConstants.COMMENT -> throw restricted("a comment");
                case XMLStreamConstants.PROCESSING_INSTRUCTION -> throw restricted("a processing instruction");
                case XMLStreamConstants.DTD -> throw restricted("a DTD");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw restricted("the entity reference &"
                        + r.getLocalName() + ";");
                default -> throw new IllegalStateException("unexpected parser event " + event);
            }
            if (restartedInDecode || state == State.CLOSED) {
                return;
            }
        }
    }

    private void declaration(AsyncXMLStreamReader<?> r) {
        String encoding = r.getCharacterEncodingScheme();
        if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
            throw new StreamErrorException(Condition.UNSUPPORTED_ENCODING,
                    "encoding '" + encoding + "' declared; XMPP uses UTF-8 only (RFC 6120 section 11.6)");
        }
        String version = r.getVersion();
        if (version != null && !version.equals("1.0")) {
            throw new StreamErrorException(Condition.BAD_FORMAT,
                    "XML version '" + version + "' declared; XMPP uses XML 1.0 (RFC 6120 section 11.8)");
        }
    }

    private void startElement(AsyncXMLStreamReader<?> r, Consumer<? super StreamEvent> out)
            throws XMLStreamException {
        if (state == State.PROLOG) {
            openStream(r, out);
        } else {
            try {
                assembler.start(r);
            } catch (StreamErrorException e) {
                throw preferStanzaTooBig(r, e);
            }
        }
    }

    private void openStream(AsyncXMLStreamReader<?> r, Consumer<? super StreamEvent> out) throws XMLStreamException {
        String namespace = r.getNamespaceURI();
        String localName = r.getLocalName();
        if (!StreamError.STREAM_NAMESPACE.equals(namespace)) {
            throw new StreamErrorException(Condition.INVALID_NAMESPACE, "the stream element is {" + namespace + "}"
                    + localName + ", not in " + StreamError.STREAM_NAMESPACE + " (RFC 6120 section 4.8.1)");
        }
        if (!localName.equals("stream")) {
            throw new StreamErrorException(Condition.BAD_FORMAT,
                    "the root element is <" + localName + ">, not <stream> (RFC 6120 section 4.2)");
        }
        String prefix = r.getPrefix();
        if (prefix == null || prefix.isEmpty()) {
            throw new StreamErrorException(Condition.BAD_NAMESPACE_PREFIX,
                    "the stream namespace must be bound to a prefix (RFC 6120 section 4.8.5)");
        }
        int attributes = r.getAttributeCount();
        if (attributes + r.getNamespaceCount() > limits.maxAttributes()) {
            throw new StreamErrorException(Condition.POLICY_VIOLATION, "more than " + limits.maxAttributes()
                    + " attributes and namespace declarations on the stream header");
        }
        eventEnd = r.getLocationInfo().getEndingByteOffset();
        if (eventEnd > limits.maxHeaderBytes()) {
            throw headerTooBig(eventEnd);
        }
        String to = null;
        String from = null;
        String id = null;
        String version = null;
        String lang = null;
        for (int i = 0; i < attributes; i++) {
            String ns = r.getAttributeNamespace(i);
            String name = r.getAttributeLocalName(i);
            if (ns == null || ns.isEmpty()) {
                switch (name) {
                    case "to" -> to = r.getAttributeValue(i);
                    case "from" -> from = r.getAttributeValue(i);
                    case "id" -> id = r.getAttributeValue(i);
                    case "version" -> version = r.getAttributeValue(i);
                    default -> {
                        // Unknown attributes are ignored (RFC 6120 section 4.7.6).
                    }
                }
            } else if (ns.equals(XMLConstants.XML_NS_URI) && name.equals("lang")) {
                lang = r.getAttributeValue(i);
            }
        }
        String contentNamespace = null;
        int declarations = r.getNamespaceCount();
        String[] namespaces = new String[declarations * 2];
        for (int i = 0; i < declarations; i++) {
            String p = r.getNamespacePrefix(i);
            String uri = r.getNamespaceURI(i);
            namespaces[i * 2] = p == null ? "" : p;
            namespaces[i * 2 + 1] = uri == null ? "" : uri;
            if (p == null || p.isEmpty()) {
                contentNamespace = uri == null || uri.isEmpty() ? null : uri;
            }
        }
        streamPrefix = prefix;
        streamNamespaces = namespaces;
        state = State.OPEN;
        boundary = eventEnd;
        out.accept(new StreamEvent.Open(new StreamHeader(to, from, id, version, lang, contentNamespace,
                namespace, prefix)));
    }

    private void endElement(AsyncXMLStreamReader<?> r, Consumer<? super StreamEvent> out)
            throws XMLStreamException {
        if (assembler.depth() == 0) {
            eventEnd = r.getLocationInfo().getEndingByteOffset();
            state = State.CLOSED;
            out.accept(StreamEvent.Close.INSTANCE);
            return;
        }
        XmlElement element = assembler.end();
        if (element != null) {
            eventEnd = r.getLocationInfo().getEndingByteOffset();
            if (eventEnd - boundary > limits.maxStanzaBytes()) {
                throw stanzaTooBig(eventEnd - boundary);
            }
            boundary = eventEnd;
            out.accept(new StreamEvent.Element(element));
        }
    }

    private void text(AsyncXMLStreamReader<?> r) throws XMLStreamException {
        if (assembler.depth() > 0) {
            try {
                assembler.text(r);
            } catch (StreamErrorException e) {
                throw preferStanzaTooBig(r, e);
            }
            return;
        }
        // Between first-level elements (or in the prolog, where the parser refuses anything else) only
        // whitespace may appear.
        char[] chars = r.getTextCharacters();
        for (int i = r.getTextStart(), end = i + r.getTextLength(); i < end; i++) {
            char c = chars[i];
            if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
                throw new StreamErrorException(Condition.BAD_FORMAT,
                        "text between first-level elements; only whitespace may appear there (RFC 6120 section"
                                + " 11.7)");
            }
        }
        if (state == State.OPEN) {
            boundary = r.getLocationInfo().getEndingByteOffset();
        }
    }

    /** Points the parser at an empty buffer so that it holds no reference to the caller's memory. */
    private void detachInput() {
        AsyncXMLStreamReader<AsyncByteBufferFeeder> r = reader;
        if (r != null && state != State.CLOSED && !restartedInDecode) {
            try {
                r.getInputFeeder().feedInput(EMPTY);
            } catch (XMLStreamException e) {
                // Only thrown when input is left unread, which drain() rules out.
                throw new IllegalStateException(e);
            }
        }
    }

    private static void requireWhitespace(ByteBuffer buf, int from, int to, Condition condition, String text) {
        for (int i = from; i < to; i++) {
            byte b = buf.get(i);
            if (b != ' ' && b != '\n' && b != '\t' && b != '\r') {
                throw new StreamErrorException(condition, text);
            }
        }
    }

    private static StreamErrorException restricted(String what) {
        return new StreamErrorException(Condition.RESTRICTED_XML,
                what + " is not allowed in XMPP (RFC 6120 section 11.1)");
    }

    private StreamErrorException stanzaTooBig(long bytes) {
        return new StreamErrorException(StreamError.of(Condition.POLICY_VIOLATION)
                .withText("a first-level element over " + limits.maxStanzaBytes() + " bytes (at least " + bytes
                        + " bytes)")
                .withApplicationCondition(STANZA_TOO_BIG));
    }

    /**
     * A text or attribute crossing its limit may be the same bytes that cross the stanza size limit, which is only
     * checked when a slice has been read; the stanza size is the more useful report (it carries
     * {@code <stanza-too-big/>}).
     */
    private StreamErrorException preferStanzaTooBig(AsyncXMLStreamReader<?> r, StreamErrorException e)
            throws XMLStreamException {
        long size = r.getLocationInfo().getEndingByteOffset() - boundary;
        return size > limits.maxStanzaBytes() ? stanzaTooBig(size) : e;
    }

    private StreamErrorException headerTooBig(long bytes) {
        return new StreamErrorException(Condition.POLICY_VIOLATION,
                "a stream header over " + limits.maxHeaderBytes() + " bytes (at least " + bytes + " bytes)");
    }

    /**
     * Maps a parser error to its stream error. Aalto has no error codes, so the two cases RFC 6120 names apart from
     * {@code not-well-formed} are told by their messages (pinned by the codec's tests): an encoding other than UTF-8
     * that the async parser cannot read at all, and an undeclared entity in an attribute value.
     */
    private static StreamErrorException classify(XMLStreamException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        String text = newline < 0 ? message : message.substring(0, newline);
        Condition condition;
        if (text.startsWith("Unsupported encoding")) {
            condition = Condition.UNSUPPORTED_ENCODING;
        } else if (text.contains("ENTITY_REFERENCE")) {
            condition = Condition.RESTRICTED_XML;
        } else {
            condition = Condition.NOT_WELL_FORMED;
        }
        StreamErrorException x = new StreamErrorException(condition, text);
        x.initCause(e);
        return x;
    }
}
