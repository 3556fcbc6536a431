/**
 * The XMPP stream codec (RFC 6120 sections 4 and 11): bytes to stream events and elements back to bytes.
 *
 * <ul>
 *   <li>{@link org.fluxmpp.codec.XmppStreamDecoder} turns the bytes of one XML stream into
 *       {@link org.fluxmpp.codec.StreamEvent}s: the stream header, one immutable
 *       {@link org.fluxmpp.xml.XmlElement} per first-level child, and the stream close; it enforces the XML
 *       restrictions of RFC 6120 section 11 and the limits of {@link org.fluxmpp.codec.DecoderLimits}.</li>
 *   <li>{@link org.fluxmpp.codec.XmppStreamEncoder} writes stream headers and elements as UTF-8 straight into
 *       Netty buffers.</li>
 *   <li>{@link org.fluxmpp.codec.PayloadBinding} maps extension elements to and from plain Java types.</li>
 * </ul>
 */
@NullMarked
package org.fluxmpp.codec;

import org.jspecify.annotations.NullMarked;
