package org.fluxmpp.samples.webfluxchat;

import java.util.Objects;
import org.fluxmpp.spring.boot.XmppClientLifecycle;
import org.fluxmpp.stanza.Message;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The messages the bot account receives, shared by every event-stream client. One subscription reads the bot's
 * connection, so a slow browser never slows the bot: each client has its own buffer of {@value #CLIENT_BUFFER}
 * messages and, when that is full, loses its oldest ones.
 */
@Component
class BotInbox implements SmartLifecycle {

    /** Messages one event-stream client may fall behind by before its oldest are dropped. */
    static final int CLIENT_BUFFER = 256;

    private final XmppClientLifecycle bot;
    private final Sinks.Many<ChatMessage> messages = Sinks.many().multicast().directBestEffort();
    private volatile @Nullable Disposable reading;

    BotInbox(XmppClientLifecycle bot) {
        this.bot = Objects.requireNonNull(bot, "bot");
    }

    /** How many event streams are listening now. */
    int listeners() {
        return messages.currentSubscriberCount();
    }

    /** The messages received from now on. */
    Flux<ChatMessage> stream() {
        return messages.asFlux().onBackpressureBuffer(CLIENT_BUFFER, BufferOverflowStrategy.DROP_OLDEST);
    }

    @Override
    public void start() {
        reading = bot.connection().inbound().ofType(Message.class)
                .filter(m -> m.body() != null && m.type() != Message.Type.ERROR)
                .subscribe(m -> messages.tryEmitNext(new ChatMessage(String.valueOf(m.from()),
                        String.valueOf(m.to()), String.valueOf(m.body()))));
    }

    @Override
    public void stop() {
        Disposable r = reading;
        if (r != null) {
            r.dispose();
        }
        reading = null;
    }

    @Override
    public boolean isRunning() {
        return reading != null;
    }

    @Override
    public int getPhase() {
        // After the bot has connected.
        return bot.getPhase() + 1;
    }
}
