package org.fluxmpp.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import org.fluxmpp.codec.DecoderLimits;
import org.fluxmpp.codec.StreamEvent;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.stream.StreamErrorException;
import org.junit.jupiter.api.Test;

/** The decoder in the pipeline: events out, one error then silence, restarts, and compaction while idle. */
class StreamDecoderHandlerTest {

    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    private static void write(EmbeddedChannel ch, String xml) {
        ch.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    }

    @Test
    void aStreamThatWentIdleGoesOnDecodingAfterCompaction() {
        EmbeddedChannel ch = new EmbeddedChannel(new StreamDecoderHandler(DecoderLimits.defaults()));
        write(ch, HEADER);
        assertThat((Object) ch.readInbound()).isInstanceOf(StreamEvent.Open.class);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        write(ch, "<message to='a@localhost'><body>after a quiet while</body></message>");
        StreamEvent.Element e = ch.readInbound();
        assertThat(e.element().child("jabber:client", "body").text()).isEqualTo("after a quiet while");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anErrorIsPassedOnOnceAndLaterBytesAreDropped() {
        EmbeddedChannel ch = new EmbeddedChannel(new StreamDecoderHandler(DecoderLimits.defaults()));
        write(ch, HEADER);
        ch.readInbound();
        write(ch, "<!-- no comments -->");
        StreamErrorException error = ch.readInbound();
        assertThat(error.condition()).isEqualTo(StreamError.Condition.RESTRICTED_XML);
        write(ch, "<message/>");
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aRequestedResetStartsANewDocument() {
        StreamDecoderHandler handler = new StreamDecoderHandler(DecoderLimits.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        write(ch, HEADER);
        ch.readInbound();
        handler.requestReset();
        write(ch, HEADER);
        assertThat((Object) ch.readInbound()).isInstanceOf(StreamEvent.Open.class);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
