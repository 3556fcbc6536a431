package org.fluxmpp.transport.internal.client;

import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Reads a connection's stream events one at a time, as the client asks for them: during negotiation each step pulls
 * the next event ({@link #next()}); once the stream is up, {@link #drainTo} hands every event to a handler and asks
 * for the next only when the handler's work is done. Either way at most one event is requested at a time, so a
 * consumer that does not keep up stops the socket being read (backpressure to the server) instead of buffering.
 */
final class EventReader extends BaseSubscriber<Object> {

    private @Nullable MonoSink<Object> waiting;
    private @Nullable Function<Object, Mono<Void>> handler;
    private @Nullable Consumer<@Nullable Throwable> onEnd;
    private @Nullable Throwable terminalError;
    private boolean terminated;

    /** The next event; signals the connection's error, or completes empty when the connection ended. */
    Mono<Object> next() {
        return Mono.create(sink -> {
            boolean request;
            synchronized (this) {
                if (terminated) {
                    request = false;
                } else {
                    waiting = sink;
                    request = true;
                }
            }
            if (request) {
                request(1);
            } else if (terminalError != null) {
                sink.error(terminalError);
            } else {
                sink.success();
            }
        });
    }

    /**
     * From now on, every event goes to {@code handler}, the next one after the handler's {@code Mono} completes;
     * {@code end} runs once when the connection ends (with its error, or {@code null}) or a handler fails.
     */
    void drainTo(Function<Object, Mono<Void>> eventHandler, Consumer<@Nullable Throwable> end) {
        boolean ended;
        synchronized (this) {
            handler = eventHandler;
            onEnd = end;
            ended = terminated;
        }
        if (ended) {
            end.accept(terminalError);
        } else {
            request(1);
        }
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        // Nothing is read until the client asks.
    }

    @Override
    protected void hookOnNext(Object event) {
        MonoSink<Object> sink;
        Function<Object, Mono<Void>> h;
        synchronized (this) {
            sink = waiting;
            waiting = null;
            h = handler;
        }
        if (sink != null) {
            sink.success(event);
        } else if (h != null) {
            h.apply(event).subscribe(null, this::handlerFailed, () -> request(1));
        }
    }

    private void handlerFailed(Throwable e) {
        cancel();
        terminate(e);
    }

    @Override
    protected void hookOnError(Throwable e) {
        terminate(e);
    }

    @Override
    protected void hookOnComplete() {
        terminate(null);
    }

    private void terminate(@Nullable Throwable e) {
        MonoSink<Object> sink;
        Consumer<@Nullable Throwable> end;
        synchronized (this) {
            if (terminated) {
                return;
            }
            terminated = true;
            terminalError = e;
            sink = waiting;
            waiting = null;
            end = onEnd;
        }
        if (sink != null) {
            if (e != null) {
                sink.error(e);
            } else {
                sink.success();
            }
        }
        if (end != null) {
            end.accept(e);
        }
    }
}
