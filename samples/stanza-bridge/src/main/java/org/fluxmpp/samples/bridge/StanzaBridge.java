package org.fluxmpp.samples.bridge;

import java.time.Duration;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.transport.XmppClient;
import org.fluxmpp.transport.XmppConnection;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An XMPP account as a pair of streams for another service: the messages people send to it as a hot
 * {@link Flux}, and a way to send messages from it.
 *
 * <pre>{@code
 * StanzaBridge bridge = StanzaBridge.connect(XmppClient.create().jid("bridge@example.com").password(secret)).block();
 * bridge.incoming().subscribe(m -> log.info("{} says {}", m.from(), m.body()));
 * bridge.send(Message.builder().to("alice@example.com").type(Message.Type.CHAT).body("deployed").build()).block();
 * }</pre>
 *
 * <p>The bridge stays online across lost connections: the client reconnects with backoff (enabled here unless the
 * client already configures it) and {@link #incoming()} carries on.
 */
public final class StanzaBridge {

    /** First wait before reconnecting. */
    static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    /** Longest wait before reconnecting. */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(2);

    private final XmppConnection connection;
    private final Flux<Message> incoming;

    private StanzaBridge(XmppConnection connection) {
        this.connection = connection;
        this.incoming = connection.inbound().ofType(Message.class)
                .filter(m -> m.type() != Message.Type.ERROR && m.body() != null);
    }

    /**
     * Logs in and sends an available presence, so that messages to the account's bare JID reach the bridge
     * (RFC 6121 8.5.2).
     *
     * @return the bridge, online; signals what {@link XmppClient#connect()} signals
     */
    public static Mono<StanzaBridge> connect(XmppClient client) {
        XmppClient reconnecting = client.reconnectMinBackoff() == null
                ? client.reconnect(MIN_BACKOFF, MAX_BACKOFF) : client;
        return reconnecting.connect()
                .flatMap(c -> c.send(Presence.builder().build())
                        .thenReturn(new StanzaBridge(c))
                        .onErrorResume(e -> c.close().onErrorResume(x -> Mono.empty()).then(Mono.error(e))));
    }

    /** The JID the bridge is bound as. */
    public FullJid jid() {
        return connection.jid();
    }

    /**
     * The messages with a body that reach the account, error messages left out. Hot: a subscriber sees what arrives
     * after it subscribed, and while nobody listens messages are dropped. Slow subscribers hold back the XMPP
     * stream itself (the client stops reading from the server, see {@link XmppConnection}), so a subscriber that
     * may fall behind, such as an HTTP client, should buffer or drop on its own side. Completes when the bridge is
     * closed; signals the error when the connection ended for good.
     */
    public Flux<Message> incoming() {
        return incoming;
    }

    /**
     * Sends messages as fast as the XMPP stream takes them.
     *
     * @return completes when all were written; signals {@link IllegalStateException} while the bridge is not
     *         online (reconnecting or closed)
     */
    public Mono<Void> send(Publisher<Message> messages) {
        return connection.send(messages);
    }

    /** Sends one message; see {@link #send(Publisher)}. */
    public Mono<Void> send(Message message) {
        return connection.send(message);
    }

    /** Closes the XMPP stream (RFC 6120 4.4); {@link #incoming()} completes. */
    public Mono<Void> close() {
        return connection.close();
    }
}
