package org.fluxmpp.codec;

import java.util.Objects;
import org.fluxmpp.xml.XmlElement;

/**
 * What {@link XmppStreamDecoder} reads from an XML stream (RFC 6120 section 4.2): the stream opening, each
 * first-level child element, and the stream closing.
 *
 * <pre>{@code
 * decoder.decode(buf, event -> {
 *     if (event instanceof StreamEvent.Open open) {
 *         startNegotiation(open.header());
 *     } else if (event instanceof StreamEvent.Element e) {
 *         handle(e.element());              // a stanza, or a stream feature, SASL or TLS element
 *     } else {
 *         closeStream();                    // StreamEvent.Close: the peer sent </stream:stream>
 *     }
 * });
 * }</pre>
 */
public sealed interface StreamEvent {

    /**
     * The peer opened the stream (RFC 6120 section 4.2): its {@code <stream:stream>} open tag was read.
     *
     * @param header the attributes of the open tag
     */
    record Open(StreamHeader header) implements StreamEvent {
        /**
         * Checks the header is present.
         *
         * @throws NullPointerException if {@code header} is {@code null}
         */
        public Open {
            Objects.requireNonNull(header, "header");
        }
    }

    /**
     * One complete first-level child of the stream root (RFC 6120 section 4.1): a stanza, a stream error, or an
     * element of stream negotiation such as {@code <stream:features/>} or {@code <auth/>}.
     *
     * @param element the element with all its content
     */
    record Element(XmlElement element) implements StreamEvent {
        /**
         * Checks the element is present.
         *
         * @throws NullPointerException if {@code element} is {@code null}
         */
        public Element {
            Objects.requireNonNull(element, "element");
        }
    }

    /**
     * The peer closed the stream (RFC 6120 section 4.4): its {@code </stream:stream>} was read. The decoder emits
     * {@link #INSTANCE}; all instances are equal.
     */
    record Close() implements StreamEvent {
        /** The instance the decoder emits. */
        public static final Close INSTANCE = new Close();
    }
}
