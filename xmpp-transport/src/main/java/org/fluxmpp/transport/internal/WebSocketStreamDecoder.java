package org.fluxmpp.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.codec.StreamEvent;
import org.fluxmpp.codec.StreamHeader;
import org.fluxmpp.codec.XmppStreamDecoder;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.fluxmpp.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * Turns the text messages of XMPP over WebSocket (RFC 7395) into the {@link StreamEvent}s that {@link C2sConnection}
 * reads from TCP, in the Netty pipeline ahead of reactor-netty's bridge (after Netty's frame aggregator, so a message
 * split into continuation frames arrives whole).
 *
 * <p>One {@link XmppStreamDecoder} reads all messages of the connection as the children of one virtual stream, opened
 * by a synthetic header declaring {@code jabber:client}: so the codec's limits, its refusal of DTDs and entities and
 * its element assembly apply unchanged, and a message is checked to be exactly one complete element by where the
 * decoder stands after it. {@code <open/>} becomes {@link StreamEvent.Open} and {@code <close/>}
 * {@link StreamEvent.Close}. A message that is not one whole element, or a binary message, is passed on as a
 * {@code not-well-formed} {@link StreamErrorException} (RFC 7395 3.3.3), once; everything after it is discarded.
 */
public final class WebSocketStreamDecoder extends ChannelInboundHandlerAdapter {

    /** The handler's name in the pipeline. */
    public static final String NAME = "fluxmpp.webSocketDecoder";

    private static final byte[] VIRTUAL_STREAM = ("<stream:stream xmlns='" + Stanza.CLIENT_NAMESPACE
            + "' xmlns:stream='" + StreamError.STREAM_NAMESPACE + "'>").getBytes(StandardCharsets.US_ASCII);

    private final XmppStreamDecoder decoder;
    private final List<StreamEvent> events = new ArrayList<>(1);
    private boolean failed;

    /** A handler with a fresh decoder with these limits. */
    public WebSocketStreamDecoder(DecoderLimits limits) {
        this.decoder = new XmppStreamDecoder(limits);
        ByteBuf header = Unpooled.wrappedBuffer(VIRTUAL_STREAM);
        try {
            decoder.decode(header, event -> { });
        } finally {
            header.release();
        }
    }

    /** A quiet connection gives back its parser's buffers, as {@link StreamDecoderHandler} does. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && !failed) {
            decoder.compact();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
                || msg instanceof ContinuationWebSocketFrame)) {
            // Close, ping and pong are reactor-netty's to answer.
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (failed) {
                return;
            }
            if (!(msg instanceof TextWebSocketFrame text)) {
                throw notWellFormed("XMPP over WebSocket uses text messages only");
            }
            StreamEvent event = decode(text.content());
            if (event != null) {
                ctx.fireChannelRead(event);
            }
        } catch (RuntimeException e) {
            failed = true;
            ctx.fireChannelRead(StreamDecoderHandler.streamError(ctx, e));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private @Nullable StreamEvent decode(ByteBuf content) {
        int end = content.writerIndex();
        while (end > content.readerIndex() && isXmlSpace(content.getByte(end - 1))) {
            end--;
        }
        if (end == content.readerIndex()) {
            // Whitespace alone: a keepalive some clients still send; nothing to read.
            return null;
        }
        // Trailing whitespace is cut off because the parser reports it only when the next element starts, which
        // would leave the message looking unfinished.
        events.clear();
        decoder.decode(content.slice(content.readerIndex(), end - content.readerIndex()), events::add);
        if (events.size() != 1 || !decoder.atElementBoundary()
                || !(events.get(0) instanceof StreamEvent.Element element)) {
            throw notWellFormed("a message must hold exactly one complete element (RFC 7395 section 3.3.3)");
        }
        events.clear();
        return framingEvent(element);
    }

    private static StreamEvent framingEvent(StreamEvent.Element event) {
        XmlElement e = event.element();
        if (!e.namespace().equals(StreamFraming.FRAMING_NAMESPACE)) {
            return event;
        }
        return switch (e.localName()) {
            case "open" -> new StreamEvent.Open(new StreamHeader(e.attribute("to"), e.attribute("from"),
                    e.attribute("id"), e.attribute("version"), e.attribute(XMLConstants.XML_NS_URI, "lang"),
                    Stanza.CLIENT_NAMESPACE, StreamError.STREAM_NAMESPACE, StreamHeader.STREAM_PREFIX));
            case "close" -> StreamEvent.Close.INSTANCE;
            default -> event;
        };
    }

    private static boolean isXmlSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static StreamErrorException notWellFormed(String text) {
        return new StreamErrorException(StreamError.Condition.NOT_WELL_FORMED, text);
    }
}
