package org.fluxmpp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check itself: a buffer dropped without release is reported (and then forgotten, so the build passes). */
class NettyLeakCheckTest {

    @Test
    void anUnreleasedBufferIsReported() {
        leakOne();
        assertThat(NettyLeakCheck.collect()).anySatisfy(leak -> assertThat(leak).startsWith("LEAK: ByteBuf"));
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeInt(42);
    }
}
