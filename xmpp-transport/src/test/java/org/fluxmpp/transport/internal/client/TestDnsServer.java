package org.fluxmpp.transport.internal.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server on a loopback UDP port: answers SRV questions from a map, NXDOMAIN for every other
 * name. Enough to test {@link ServerLookup} against Netty's real resolver over a real socket.
 */
public final class TestDnsServer implements AutoCloseable {

    /** One SRV record's data. */
    public record Srv(int priority, int weight, int port, String target) {
    }

    private final Map<String, List<Srv>> zone = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    public TestDnsServer() throws InterruptedException {
        channel = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Answerer());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Serves these SRV records for this owner name (without trailing dot; case-insensitive). */
    public TestDnsServer srv(String name, Srv... records) {
        zone.put(name.toLowerCase(Locale.ROOT), List.of(records));
        return this;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    int queries() {
        return queries.get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            queries.incrementAndGet();
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setAuthoritativeAnswer(true);
            response.setRecursionDesired(query.isRecursionDesired());
            response.setRecursionAvailable(true);
            response.addRecord(DnsSection.QUESTION, question);
            String name = question.name().toLowerCase(Locale.ROOT);
            List<Srv> records = zone.get(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
            if (records == null || question.type() != DnsRecordType.SRV) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else {
                for (Srv r : records) {
                    response.addRecord(DnsSection.ANSWER,
                            new DefaultDnsRawRecord(question.name(), DnsRecordType.SRV, 60, rdata(r)));
                }
            }
            ctx.writeAndFlush(response);
        }
    }

    /** SRV RDATA (RFC 2782): priority, weight, port, then the target as an uncompressed name. */
    private static ByteBuf rdata(Srv r) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeShort(r.priority()).writeShort(r.weight()).writeShort(r.port());
        if (!".".equals(r.target())) {
            for (String label : r.target().split("\\.")) {
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                buf.writeByte(bytes.length).writeBytes(bytes);
            }
        }
        buf.writeByte(0);
        return buf;
    }
}
