package org.fluxmpp.benchmarks.loadgen;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import org.fluxmpp.benchmarks.loadgen.C2sLoginClient.Target;
import org.jspecify.annotations.Nullable;

/**
 * Everything a scenario runs with: the server's address and domain, the accounts, the local addresses to connect
 * from, the client and its event loops, the counters, and where to print.
 *
 * @param accountPattern a {@link String#format} pattern of the account's localpart with one {@code %d}
 * @param accountCount accounts {@code 0 .. accountCount - 1}; connection {@code i} uses account
 *     {@code i % accountCount}, each connection with its own resource
 * @param sources local addresses to connect from, in turn (empty: any); several loopback addresses (127.0.0.2, ...)
 *     pass the limit of about 28,000 ephemeral ports per source address
 */
public record LoadContext(InetSocketAddress server, String domain, String accountPattern, int accountCount,
                          String password, List<InetAddress> sources, EventLoopGroup loops, C2sLoginClient client,
                          Counters counters, PrintStream out) {

    /** The localpart of the account connection {@code i} uses. */
    public String user(long i) {
        return String.format(Locale.ROOT, accountPattern, i % accountCount);
    }

    /** Where connection {@code i} goes: from the next source address, on {@code loop} (or any). */
    public Target target(long i, @Nullable EventLoop loop) {
        InetSocketAddress source = sources.isEmpty() ? null
                : new InetSocketAddress(sources.get((int) (i % sources.size())), 0);
        return new Target(server, source, loop);
    }

    /** Counts a bound connection as connected until it closes. */
    public void track(Channel channel) {
        counters.connected.incrementAndGet();
        channel.closeFuture().addListener(f -> counters.connected.decrementAndGet());
    }

    /** The last handler of an idle connection: keeps nothing, releases whatever arrives. */
    @ChannelHandler.Sharable
    static final class Sink extends ChannelInboundHandlerAdapter {
        static final Sink INSTANCE = new Sink();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
