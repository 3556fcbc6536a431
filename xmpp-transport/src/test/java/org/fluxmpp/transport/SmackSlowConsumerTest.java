package org.fluxmpp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The outbound queue's overflow policy against real Smack clients: a client that stops reading is ended with the
 * {@code policy-violation} stream error, its sender hears of the undelivered messages through
 * {@code service-unavailable}, and another pair of clients keeps exchanging messages meanwhile.
 */
class SmackSlowConsumerTest {

    @Test
    void aSmackClientThatStopsReadingIsEndedWithPolicyViolationWhileAnotherPairChatsOn() throws Exception {
        try (TestServer server = TestServer.start(s -> s.outboundCapacity(50))
                .account("frank", "frank-pw").account("erin", "erin-pw")
                .account("pam", "pam-pw").account("quinn", "quinn-pw")) {
            GatedSockets gate = new GatedSockets();
            XMPPTCPConnection frank = SmackClients.connect(server, "frank", "frank-pw", "SCRAM-SHA-1", "slow",
                    b -> b.setSocketFactory(gate));
            AtomicReference<Exception> frankEndedBy = new AtomicReference<>();
            CountDownLatch frankEnded = new CountDownLatch(1);
            frank.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    frankEndedBy.set(e);
                    frankEnded.countDown();
                }
            });
            XMPPTCPConnection erin = SmackClients.connect(server, "erin", "erin-pw");
            XMPPTCPConnection pam = SmackClients.connect(server, "pam", "pam-pw");
            XMPPTCPConnection quinn = SmackClients.connect(server, "quinn", "quinn-pw");
            try {
                BlockingQueue<Message> bounces = new LinkedBlockingQueue<>();
                erin.addAsyncStanzaListener(s -> bounces.add((Message) s),
                        s -> s instanceof Message m && m.getType() == Message.Type.error);
                BlockingQueue<Message> atQuinn = new LinkedBlockingQueue<>();
                quinn.addAsyncStanzaListener(s -> atQuinn.add((Message) s), s -> s instanceof Message);

                // Frank's reader thread takes no more bytes: the socket buffers fill, then the server's queue.
                gate.close();
                CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                    String body = "x".repeat(32 * 1024);
                    try {
                        for (int i = 0; i < 320; i++) {
                            erin.sendStanza(StanzaBuilder.buildMessage("m" + i)
                                    .to(JidCreate.from("frank@localhost/slow")).setBody(body).build());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // Meanwhile the other pair goes on, one message at a time, each received before the next is sent.
                for (int i = 0; i < 500; i++) {
                    pam.sendStanza(StanzaBuilder.buildMessage("n" + i)
                            .to(JidCreate.from("quinn@localhost/smack")).setBody(Integer.toString(i)).build());
                    Message m = atQuinn.poll(10, TimeUnit.SECONDS);
                    assertThat(m).as("message %d to quinn", i).isNotNull();
                    assertThat(m.getBody()).isEqualTo(Integer.toString(i));
                }
                flood.get(60, TimeUnit.SECONDS);

                Message bounce = bounces.poll(30, TimeUnit.SECONDS);
                assertThat(bounce).as("erin hears that frank's messages were not delivered").isNotNull();
                assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
                assertThat(bounce.getStanzaId()).startsWith("m");

                // Frank, reading at last, finds its stream ended by the overflow policy.
                gate.open();
                assertThat(frankEnded.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(frankEndedBy.get()).isInstanceOfSatisfying(XMPPException.StreamErrorException.class,
                        e -> assertThat(e.getStreamError().getCondition())
                                .isEqualTo(StreamError.Condition.policy_violation));
            } finally {
                gate.open();
                frank.instantShutdown();
                erin.disconnect();
                pam.disconnect();
                quinn.disconnect();
            }
        }
    }

    /** Sockets whose reads wait while the gate is closed: a client that stops reading, as a slow one does. */
    private static final class GatedSockets extends SocketFactory {
        private volatile CountDownLatch opened = new CountDownLatch(0);

        void close() {
            opened = new CountDownLatch(1);
        }

        void open() {
            opened.countDown();
        }

        private void awaitOpen() throws IOException {
            try {
                opened.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
        }

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public InputStream getInputStream() throws IOException {
                    return new FilterInputStream(super.getInputStream()) {
                        @Override
                        public int read() throws IOException {
                            awaitOpen();
                            return super.read();
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            awaitOpen();
                            return super.read(b, off, len);
                        }
                    };
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return connected(new InetSocketAddress(address, port));
        }

        private Socket connected(InetSocketAddress address) throws IOException {
            Socket s = createSocket();
            s.connect(address);
            return s;
        }
    }
}
