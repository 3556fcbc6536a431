package org.fluxmpp.router;

import java.util.List;
import java.util.function.UnaryOperator;
import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.routing.StanzaRoute;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Stanza;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

/**
 * First match wins over a list of routes. Routes built here answer with {@code Mono.just} or {@code Mono.empty},
 * which are read on the spot, so routing a stanza through them subscribes to nothing and allocates nothing; an
 * asynchronous route is subscribed to, and the routes after it are tried only once it completes empty.
 */
final class FirstMatch {

    private FirstMatch() {
    }

    /**
     * The handler of the first route that takes the stanza, or empty. A route that throws or returns
     * {@code null} gives an error {@code Mono}.
     */
    static Mono<StanzaHandler<Stanza>> first(List<? extends StanzaRoute> routes, Stanza stanza,
                                             XmppSession session) {
        return from(routes, 0, stanza, session);
    }

    /** Applies {@code decorator} to the handler, on the spot when the match is already known. */
    static Mono<StanzaHandler<Stanza>> map(Mono<StanzaHandler<Stanza>> match,
                                           UnaryOperator<StanzaHandler<Stanza>> decorator) {
        if (match instanceof Fuseable.ScalarCallable<?> scalar) {
            Object handler;
            try {
                handler = scalar.call();
            } catch (Throwable e) {
                Exceptions.throwIfJvmFatal(e);
                return match;
            }
            return handler == null ? match : Mono.just(decorator.apply(cast(handler)));
        }
        return match.map(decorator);
    }

    private static Mono<StanzaHandler<Stanza>> from(List<? extends StanzaRoute> routes, int start, Stanza stanza,
                                                    XmppSession session) {
        for (int i = start; i < routes.size(); i++) {
            Mono<StanzaHandler<Stanza>> match;
            try {
                match = routes.get(i).route(stanza, session);
            } catch (Throwable e) {
                Exceptions.throwIfJvmFatal(e);
                return Mono.error(e);
            }
            if (match == null) {
                return Mono.error(new NullPointerException("route " + routes.get(i) + " returned null"));
            }
            if (match instanceof Fuseable.ScalarCallable<?> scalar) {
                Object handler;
                try {
                    handler = scalar.call();
                } catch (Throwable e) {
                    // Mono.error: let it signal its error.
                    Exceptions.throwIfJvmFatal(e);
                    return match;
                }
                if (handler == null) {
                    continue;
                }
                return match;
            }
            int next = i + 1;
            return match.switchIfEmpty(Mono.defer(() -> from(routes, next, stanza, session)));
        }
        return Mono.empty();
    }

    @SuppressWarnings("unchecked")
    private static StanzaHandler<Stanza> cast(Object handler) {
        return (StanzaHandler<Stanza>) handler;
    }
}
