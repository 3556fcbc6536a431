package org.fluxmpp.samples.echobot;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.transport.XmppClient;
import org.fluxmpp.transport.XmppConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * A bot that answers every chat or normal message with a body by sending the same body back: same type, same
 * thread, addressed to the sender.
 *
 * <pre>{@code
 * EchoBot bot = EchoBot.start(XmppClient.create().jid("bot@example.com").password(secret));
 * bot.online().block();              // logged in, available presence sent
 * ...
 * bot.disposeNow(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Messages are answered one at a time: the next is taken from the connection only when the previous echo was
 * written, so a flood of messages pushes back on the server through TCP instead of piling up in the bot.
 *
 * <p>Connection loss: the client reconnects with backoff (enabled here unless the client already configures it)
 * and sends the presence again; an echo that falls in the gap is logged and dropped. A first connection that fails
 * for a reason that may pass (server not up, network) is retried with backoff too; a failure that will not pass
 * (authentication, TLS, a stream error such as {@code conflict}) stops the bot, and {@link #onClose()} says why.
 */
public final class EchoBot implements Disposable {

    private static final Logger log = LoggerFactory.getLogger(EchoBot.class);

    /** First wait before connecting again. */
    static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    /** Longest wait before connecting again. */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(2);

    private final Sinks.One<FullJid> online = Sinks.one();
    private final Sinks.Empty<Void> stop = Sinks.empty();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final AtomicBoolean disposed = new AtomicBoolean();

    private EchoBot() {
    }

    /**
     * Connects with this client and starts answering; returns at once.
     *
     * @param client the account and server; reconnection with backoff from {@link #MIN_BACKOFF} up to
     *               {@link #MAX_BACKOFF} is added when the client has none
     */
    public static EchoBot start(XmppClient client) {
        EchoBot bot = new EchoBot();
        XmppClient reconnecting = client.reconnectMinBackoff() == null
                ? client.reconnect(MIN_BACKOFF, MAX_BACKOFF) : client;
        bot.run(reconnecting);
        return bot;
    }

    private void run(XmppClient client) {
        Mono<XmppConnection> connect = Mono.defer(client::connect)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, MIN_BACKOFF).maxBackoff(MAX_BACKOFF).jitter(0.5)
                        .filter(EchoBot::mayPass)
                        .doBeforeRetry(r -> log.warn("cannot connect ({}); trying again", r.failure().toString())))
                .takeUntilOther(stop.asMono());
        // The stream is closed however serving ends: stopped by the user, or failed.
        Mono.usingWhen(connect,
                        c -> serve(c).takeUntilOther(stop.asMono()),
                        EchoBot::close,
                        (c, e) -> close(c),
                        EchoBot::close)
                .subscribe(null, e -> {
                    log.error("the bot stopped: {}", e.toString());
                    closed.tryEmitError(e);
                }, closed::tryEmitEmpty);
    }

    /**
     * Closes the stream. A connection that already ended with an error (the server went away as the bot stopped)
     * answers {@code close()} with that error, which changes nothing here.
     */
    private static Mono<Void> close(XmppConnection c) {
        return c.close().onErrorResume(e -> {
            log.debug("closed after the connection ended: {}", e.toString());
            return Mono.empty();
        });
    }

    /** Answers on this connection until it ends; subscribes to the messages before announcing itself. */
    private Mono<Void> serve(XmppConnection c) {
        Mono<Void> echoes = c.inbound().ofType(Message.class)
                .filter(EchoBot::answers)
                // One at a time (concatMap's prefetch is 1 in flight): demand reaches the socket only as echoes go.
                .concatMap(m -> c.send(reply(m)).onErrorResume(e -> {
                    log.warn("could not answer {}: {}", m.from(), e.toString());
                    return Mono.empty();
                }))
                .then();
        Mono<Void> announce = c.send(Presence.builder().build())
                .doOnSuccess(v -> {
                    log.info("online as {}", c.jid());
                    online.tryEmitValue(c.jid());
                });
        return Mono.when(echoes, announce);
    }

    /** Whether the bot answers this message: chat or normal (RFC 6121 5.2.2), with a body, from someone. */
    static boolean answers(Message m) {
        Message.Type type = m.type();
        return (type == Message.Type.CHAT || type == Message.Type.NORMAL) && m.body() != null && m.from() != null;
    }

    /** The echo: same body, type and thread, back to the sender (the server stamps {@code from}). */
    static Message reply(Message m) {
        Jid sender = m.from();
        String body = m.body();
        if (sender == null || body == null) {
            throw new IllegalArgumentException("nothing to answer: " + m);
        }
        Message.Builder b = Message.builder().to(sender).type(m.type()).body(body);
        String thread = m.thread();
        if (thread != null) {
            b.thread(thread);
        }
        return b.build();
    }

    /**
     * A failure that another try may not repeat: the server is down or unreachable, or too slow. A TLS failure is an
     * {@link IOException} too, but an untrusted or misnamed certificate stays so.
     */
    private static boolean mayPass(Throwable e) {
        return (e instanceof IOException && !(e instanceof SSLException)) || e instanceof TimeoutException;
    }

    /** The bound JID, once the bot is logged in and has sent its available presence. */
    public Mono<FullJid> online() {
        return online.asMono();
    }

    /** Completes when the bot was stopped and its stream closed; signals the failure that stopped it otherwise. */
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    /** Stops answering and closes the stream (RFC 6120 4.4) in the background. */
    @Override
    public void dispose() {
        if (disposed.compareAndSet(false, true)) {
            stop.tryEmitEmpty();
        }
    }

    /** Whether {@link #dispose()} was called. */
    @Override
    public boolean isDisposed() {
        return disposed.get();
    }

    /** Stops and waits, at most {@code timeout}, for the stream to be closed. */
    public void disposeNow(Duration timeout) {
        dispose();
        onClose().onErrorResume(e -> Mono.empty()).block(timeout);
    }
}
