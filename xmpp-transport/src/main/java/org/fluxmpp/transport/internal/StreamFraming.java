package org.fluxmpp.transport.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Objects;
import javax.xml.XMLConstants;
import org.fluxmpp.codec.StreamHeader;
import org.fluxmpp.codec.XmppStreamEncoder;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * How one client-to-server stream travels on its connection, so that {@link C2sConnection}'s negotiation serves every
 * transport unchanged: the XML stream of RFC 6120 on TCP, or the framing of RFC 7395 on WebSocket. It turns the
 * stream's output into the objects written to the connection, and carries out a stream restart (RFC 6120 4.3.3).
 */
public sealed interface StreamFraming {

    /** The namespace of RFC 7395's {@code <open/>} and {@code <close/>}: {@value}. */
    String FRAMING_NAMESPACE = "urn:ietf:params:xml:ns:xmpp-framing";

    /** Stateless, so one for all streams. */
    XmppStreamEncoder ENCODER = new XmppStreamEncoder();

    /** What opens the stream, for the server's answer to a client's header. */
    Object header(StreamHeader header, ByteBufAllocator alloc);

    /** One first-level element: a stanza or a negotiation element. */
    Object element(XmlElement element, ByteBufAllocator alloc);

    /** What closes the stream. */
    Object close(ByteBufAllocator alloc);

    /** The transport's name in metrics: {@link ServerMetrics#TCP} or {@link ServerMetrics#WEBSOCKET}. */
    String transport();

    /** Makes the peer's next header start a new stream; called before the element that triggers the restart. */
    void restart(Channel channel);

    /** Whether TLS can be negotiated on the stream (RFC 6120 5): on TCP; WebSocket has no STARTTLS (RFC 7395). */
    boolean offersStartTls();

    /**
     * The last element of a stream whose client is sent elsewhere, in place of a {@code see-other-host} stream
     * error and the close, or {@code null} where that stream error is the way (TCP).
     */
    @Nullable XmlElement redirect(OpenStreams.Redirect to);

    /** RFC 6120 on TCP: one XML document per stream, parsed by the {@link StreamDecoderHandler} of the pipeline. */
    static StreamFraming tcp() {
        return Tcp.INSTANCE;
    }

    /** RFC 7395 on WebSocket: one element per text message, decoded by {@link WebSocketStreamDecoder}. */
    static StreamFraming webSocket() {
        return WebSocket.INSTANCE;
    }

    /** See {@link #tcp()}. */
    enum Tcp implements StreamFraming {
        INSTANCE;

        @Override
        public String transport() {
            return ServerMetrics.TCP;
        }

        @Override
        public Object header(StreamHeader header, ByteBufAllocator alloc) {
            return ENCODER.encodeOpen(header, alloc);
        }

        @Override
        public Object element(XmlElement element, ByteBufAllocator alloc) {
            return ENCODER.encode(element, Stanza.CLIENT_NAMESPACE, alloc);
        }

        @Override
        public Object close(ByteBufAllocator alloc) {
            return ENCODER.encodeClose(alloc);
        }

        @Override
        public void restart(Channel channel) {
            ((StreamDecoderHandler) Objects.requireNonNull(channel.pipeline().get(StreamDecoderHandler.NAME)))
                    .requestReset();
        }

        @Override
        public boolean offersStartTls() {
            return true;
        }

        @Override
        public @Nullable XmlElement redirect(OpenStreams.Redirect to) {
            return null;
        }
    }

    /** See {@link #webSocket()}. */
    enum WebSocket implements StreamFraming {
        INSTANCE;

        private static final XmlElement CLOSE = XmlElement.empty(FRAMING_NAMESPACE, "close");

        @Override
        public String transport() {
            return ServerMetrics.WEBSOCKET;
        }

        @Override
        public Object header(StreamHeader header, ByteBufAllocator alloc) {
            // RFC 7395 3.3.2: the stream header's attributes on <open/>; the content namespace is implied.
            XmlElement open = XmlElement.builder(FRAMING_NAMESPACE, "open")
                    .attribute("from", header.from())
                    .attribute("to", header.to())
                    .attribute("id", header.id())
                    .attribute("version", header.version())
                    .attribute(XMLConstants.XML_NS_URI, "lang", header.lang())
                    .build();
            return element(open, alloc);
        }

        @Override
        public Object element(XmlElement element, ByteBufAllocator alloc) {
            // RFC 7395 3.3.3: every message is a complete document, so each element declares its namespace.
            return new TextWebSocketFrame(ENCODER.encodeStandalone(element, alloc));
        }

        @Override
        public Object close(ByteBufAllocator alloc) {
            return element(CLOSE, alloc);
        }

        @Override
        public void restart(Channel channel) {
            // Every message is parsed on its own and the next <open/> is read like any element: nothing to reset.
        }

        @Override
        public boolean offersStartTls() {
            return false;
        }

        @Override
        public XmlElement redirect(OpenStreams.Redirect to) {
            // RFC 7395 3.6.1: <close see-other-uri/> replaces the see-other-host stream error on WebSocket.
            return XmlElement.builder(FRAMING_NAMESPACE, "close")
                    .attribute("see-other-uri", to.otherWebSocket().toString()).build();
        }
    }
}
