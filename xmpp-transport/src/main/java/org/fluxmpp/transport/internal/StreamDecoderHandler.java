package org.fluxmpp.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.codec.XmppStreamDecoder;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a connection's bytes into {@link org.fluxmpp.codec.StreamEvent}s in the Netty pipeline, ahead of
 * reactor-netty's bridge, so {@code receiveObject()} yields stream events and reading still follows demand.
 *
 * <p>A decoding error is passed on once, as the {@link StreamErrorException} itself, and every byte after it is
 * discarded: the stream is over. A stream restart (RFC 6120 4.3.3) is requested with {@link #requestReset()} before
 * the server sends the element that triggers it ({@code <proceed/>}, {@code <success/>}), so the peer's new stream
 * header, which it sends only after reading that element, always meets a fresh parser.
 */
public final class StreamDecoderHandler extends ChannelInboundHandlerAdapter {

    /** The handler's name in the pipeline. */
    public static final String NAME = "fluxmpp.streamDecoder";

    private static final Logger log = LoggerFactory.getLogger(StreamDecoderHandler.class);

    private final XmppStreamDecoder decoder;
    private volatile boolean resetRequested;
    private boolean failed;

    /** A handler with a fresh decoder with these limits. */
    public StreamDecoderHandler(DecoderLimits limits) {
        this.decoder = new XmppStreamDecoder(limits);
    }

    /**
     * A quiet connection gives back its parser's buffers (a few KB) until it speaks again: Netty's
     * {@link io.netty.handler.timeout.IdleStateHandler} in front of this handler signals the quiet.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && !failed) {
            decoder.compact();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Makes the next bytes start a new XML document (a stream restart). Thread-safe. */
    public void requestReset() {
        resetRequested = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (failed) {
                return;
            }
            if (resetRequested) {
                resetRequested = false;
                decoder.reset();
            }
            decoder.decode(buf, ctx::fireChannelRead);
        } catch (RuntimeException e) {
            failed = true;
            ctx.fireChannelRead(StreamDecoderHandler.streamError(ctx, e));
        } finally {
            ReferenceCountUtil.release(buf);
        }
    }

    /**
     * What a decoding failure means for the stream: the decoder's own stream error, or, for a decoder bug, the RFC's
     * catch-all {@code internal-server-error}, which ends this stream only, never the server.
     */
    static StreamErrorException streamError(ChannelHandlerContext ctx, RuntimeException e) {
        if (e instanceof StreamErrorException se) {
            return se;
        }
        log.warn("Decoder failed unexpectedly on {}", ctx.channel(), e);
        return new StreamErrorException(StreamError.Condition.INTERNAL_SERVER_ERROR, "the stream could not be decoded");
    }
}
