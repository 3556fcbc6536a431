package org.fluxmpp.router;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.DomainJid;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.routing.StanzaRoute;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaErrorException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The delivery rules of RFC 6120 section 10 and RFC 6121 section 8 for one router configuration.
 *
 * <p>A {@code null} sender means the server itself: a stanza a handler emitted. Errors about such a stanza have
 * nobody to go to and are dropped, and a server stanza addressed to the server is dropped rather than handled, so a
 * handler can never start a loop.
 *
 * <p>Everything runs on the caller's thread unless a route, handler or account lookup switches; no step runs stanzas
 * in parallel, so a sender's stanzas keep the order in which {@link #route} is called.
 */
final class Delivery {

    private static final Logger log = LoggerFactory.getLogger(XmppRouter.class);

    private static final StanzaError SERVICE_UNAVAILABLE = StanzaError.of(StanzaError.Condition.SERVICE_UNAVAILABLE);
    private static final StanzaError INTERNAL_SERVER_ERROR =
            StanzaError.of(StanzaError.Condition.INTERNAL_SERVER_ERROR);
    private static final StanzaError JID_MALFORMED = StanzaError.of(StanzaError.Condition.JID_MALFORMED);
    private static final StanzaError REMOTE_SERVER_NOT_FOUND =
            StanzaError.of(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND);

    // Keyed by domainpart so that a lookup needs no DomainJid allocation.
    private final Map<String, DomainJid> domains;
    private final DomainJid firstDomain;
    private final SessionRegistry registry;
    private final Function<BareJid, Mono<Boolean>> accounts;
    private final List<StanzaRoute> routes;
    private final PendingRequests pending;

    Delivery(Map<String, DomainJid> domains, DomainJid firstDomain, SessionRegistry registry,
             Function<BareJid, Mono<Boolean>> accounts, List<StanzaRoute> routes, PendingRequests pending) {
        this.domains = domains;
        this.firstDomain = firstDomain;
        this.registry = registry;
        this.accounts = accounts;
        this.routes = routes;
        this.pending = pending;
    }

    Mono<Void> route(Stanza stanza, XmppSession sender) {
        return Mono.defer(() -> dispatch(stanza, sender))
                .onErrorResume(e -> {
                    // Only a fault in the router itself gets here: routes, handlers and account lookups are
                    // answered where they run. The sender still gets an answer to a request.
                    log.error("routing failed for {} id={} from {}", name(stanza), stanza.id(), sender.jid(), e);
                    bounce(stanza, sender, INTERNAL_SERVER_ERROR);
                    return Mono.empty();
                });
    }

    /**
     * Sends a stanza of the server's own by the same rules: errors about it have nobody to go to, except that an
     * IQ request the server waits for ({@link PendingRequests}) gets its error as the response.
     */
    Mono<Void> send(Stanza stanza) {
        return Mono.defer(() -> dispatch(stanza, null));
    }

    /** Whether this address is the server itself: a served domain, with or without a resource. */
    boolean isServer(Jid jid) {
        return jid.localpart() == null && serves(jid);
    }

    /** The served domain that speaks to this address: its own when served, otherwise the first. */
    DomainJid domainFor(Jid jid) {
        DomainJid d = domains.get(jid.domainpart());
        return d == null ? firstDomain : d;
    }

    private Mono<Void> dispatch(Stanza stanza, @Nullable XmppSession sender) {
        Jid to;
        try {
            to = stanza.to();
        } catch (JidFormatException e) {
            // RFC 6120 8.3.3.8; the error comes from the server, not from the unparseable address.
            bounce(stanza, sender, JID_MALFORMED);
            return Mono.empty();
        }
        if (to == null || (to.localpart() == null && serves(to))) {
            // RFC 6120 10.3, 10.5.1 and 10.5.2: no 'to', or a served domain (with or without a resource).
            if (sender == null) {
                return drop(stanza, "a server stanza addressed to the server");
            }
            if (stanza instanceof Iq iq && !iq.isRequest() && pending.complete(iq)) {
                // The response to a request of the server's (XmppRouter.request): matched by id and sender.
                return Mono.empty();
            }
            return toServer(stanza, sender);
        }
        if (!serves(to)) {
            // RFC 6120 10.4: a remote domain; server-to-server delivery does not exist yet.
            bounce(stanza, sender, REMOTE_SERVER_NOT_FOUND);
            return Mono.empty();
        }
        if (to instanceof FullJid full) {
            return toFullJid(stanza, full, sender);
        }
        return toAccount(stanza, to.asBareJid(), sender, null);
    }

    /** RFC 6120 10.3, 10.5.1 and 10.5.2: the server handles the stanza itself, through the routes. */
    private Mono<Void> toServer(Stanza stanza, XmppSession sender) {
        return viaRoutes(stanza, sender, () -> {
            if (stanza instanceof Iq iq) {
                // RFC 6120 8.2.3 and 10.3: a request nobody takes is answered; a response nobody waits for is not.
                if (iq.isRequest()) {
                    bounce(iq, sender, SERVICE_UNAVAILABLE);
                }
            } else if (stanza instanceof Message) {
                // RFC 6120 8.3.3.19: the server offers no service for it; bounce() leaves an error unanswered.
                bounce(stanza, sender, SERVICE_UNAVAILABLE);
            }
            // Presence to the server is the initial/broadcast presence of RFC 6121 4.2, not handled yet: dropped.
        });
    }

    /**
     * A stanza {@code session} accepted but never wrote: the rules for a full JID whose resource is gone, with the
     * sender found by its {@code from} (stamped by the server when it entered, so it parses).
     */
    Mono<Void> undeliverable(Stanza stanza, XmppSession session) {
        return Mono.defer(() -> {
            Jid from = stanza.from();
            XmppSession sender = from instanceof FullJid f ? registry.find(f) : null;
            // A message to the bare JID reached this resource as the account's most active one: the account's rules
            // apply again without it.
            return refused(stanza, stanza.to() instanceof FullJid full ? full : session.jid(), sender, session);
        });
    }

    /** RFC 6120 10.5.4 (RFC 6121 8.5.3): a local full JID. */
    private Mono<Void> toFullJid(Stanza stanza, FullJid to, @Nullable XmppSession sender) {
        XmppSession target = registry.find(to);
        if (target != null && target.deliver(stanza)) {
            return Mono.empty();
        }
        return refused(stanza, to, sender, target);
    }

    /** No such resource, or it can no longer take stanzas (closed, or its queue overflowed): the same rules. */
    private Mono<Void> refused(Stanza stanza, FullJid to, @Nullable XmppSession sender,
                               @Nullable XmppSession target) {
        if (stanza instanceof Message message) {
            // RFC 6121 8.5.3.2.1: treated as addressed to the bare JID, excluding the resource that just refused.
            return toAccount(message, to.asBareJid(), sender, target);
        }
        if (stanza instanceof Iq iq && iq.isRequest()) {
            // RFC 6121 8.5.3.2.3 (RFC 6120 10.5.4).
            bounce(iq, sender, SERVICE_UNAVAILABLE);
            return Mono.empty();
        }
        // Presence (RFC 6121 8.5.3.2.2) and IQ responses: dropped silently.
        return drop(stanza, "no session for " + to);
    }

    /** RFC 6120 10.5.3 (RFC 6121 8.5.1 and 8.5.2): a local bare JID, that is an account. */
    private Mono<Void> toAccount(Stanza stanza, BareJid to, @Nullable XmppSession sender,
                                 @Nullable XmppSession exclude) {
        if (stanza instanceof Message message) {
            return messageToAccount(message, to, sender, exclude);
        }
        if (stanza instanceof Presence) {
            // RFC 6121 8.5.2.1.2: every available resource; with none, dropped (8.5.2.2.2).
            for (XmppSession resource : registry.resources(to)) {
                resource.deliver(stanza);
            }
            return Mono.empty();
        }
        Iq iq = (Iq) stanza;
        if (!iq.isRequest()) {
            return drop(iq, "an IQ response to an account");
        }
        if (sender == null) {
            // Routes answer for a session; the server does not ask itself on behalf of an account. A request the
            // server waits for gets the error; any other is dropped by bounce().
            bounce(iq, null, SERVICE_UNAVAILABLE);
            return Mono.empty();
        }
        // RFC 6121 8.5.2.1.3 and 8.5.1: answered by the server on behalf of an existing account, else refused.
        return Mono.defer(() -> accounts.apply(to))
                .defaultIfEmpty(Boolean.FALSE)
                .onErrorResume(e -> {
                    log.error("account lookup failed for {}", to, e);
                    bounce(iq, sender, INTERNAL_SERVER_ERROR);
                    return Mono.empty();
                })
                .flatMap(exists -> {
                    if (exists) {
                        return viaRoutes(iq, sender, () -> bounce(iq, sender, SERVICE_UNAVAILABLE));
                    }
                    bounce(iq, sender, SERVICE_UNAVAILABLE);
                    return Mono.empty();
                });
    }

    private Mono<Void> messageToAccount(Message message, BareJid to, @Nullable XmppSession sender,
                                        @Nullable XmppSession exclude) {
        Message.Type type = message.type();
        if (type == Message.Type.ERROR) {
            // RFC 6121 8.5.2.1.1 and 8.5.2.2.1: an error to a bare JID is silently ignored.
            return drop(message, "an error message to an account");
        }
        if (type == Message.Type.GROUPCHAT) {
            // RFC 6121 8.5.2.1.1: a groupchat message to a user's bare JID is never delivered.
            bounce(message, sender, SERVICE_UNAVAILABLE);
            return Mono.empty();
        }
        // The most recently active resource; when it refuses, the next most recent. No offline storage yet, so
        // an account with no resource that takes it answers service-unavailable (RFC 6121 8.5.2.2.1).
        List<XmppSession> resources = registry.resources(to);
        boolean[] tried = new boolean[resources.size()];
        for (int attempt = 0; attempt < tried.length; attempt++) {
            int best = -1;
            Instant bestActivity = null;
            for (int i = 0; i < tried.length; i++) {
                XmppSession r = resources.get(i);
                if (tried[i] || r == exclude) {
                    continue;
                }
                Instant activity = r.lastActivity();
                if (bestActivity == null || activity.isAfter(bestActivity)) {
                    best = i;
                    bestActivity = activity;
                }
            }
            if (best < 0) {
                break;
            }
            if (resources.get(best).deliver(message)) {
                return Mono.empty();
            }
            tried[best] = true;
        }
        bounce(message, sender, SERVICE_UNAVAILABLE);
        return Mono.empty();
    }

    /**
     * Tries the routes in order; the first that returns a handler gets the stanza (first match wins). What the
     * handler emits is routed as a server stanza; what it signals answers the stanza. {@code unmatched} runs when
     * no route takes it.
     */
    private Mono<Void> viaRoutes(Stanza stanza, XmppSession sender, Runnable unmatched) {
        return FirstMatch.first(routes, stanza, sender)
                .flatMap(handler -> handle(handler, stanza, sender).thenReturn(Boolean.TRUE))
                .switchIfEmpty(Mono.fromRunnable(unmatched))
                .onErrorResume(e -> {
                    if (e instanceof StanzaErrorException error) {
                        bounce(stanza, sender, error.error());
                    } else {
                        log.error("handler failed for {} id={} from {}", name(stanza), stanza.id(), sender.jid(), e);
                        bounce(stanza, sender, INTERNAL_SERVER_ERROR);
                    }
                    return Mono.empty();
                })
                .then();
    }

    private Mono<Void> handle(StanzaHandler<Stanza> handler, Stanza stanza, XmppSession sender) {
        // concatMap, not flatMap: the handler's stanzas leave in the order it emitted them.
        return Flux.defer(() -> Flux.<Stanza>from(handler.handle(stanza, sender)))
                .concatMap(out -> fromServer(stampFrom(out, sender), sender))
                .then();
    }

    /**
     * Routes a stanza a handler emitted. A reply to the session that sent the request goes back to that very
     * stream, as an error reply does (the stream that asked is the one waiting for the id); only when it refuses
     * do the ordinary rules for its full JID apply.
     */
    private Mono<Void> fromServer(Stanza out, XmppSession requester) {
        Jid to;
        try {
            to = out.to();
        } catch (JidFormatException e) {
            return dispatch(out, null);
        }
        if (requester.jid().equals(to) && requester.deliver(out)) {
            return Mono.empty();
        }
        return dispatch(out, null);
    }

    /** RFC 6120 8.1.2.1: a stanza the server generates carries the server's domain as 'from'. */
    private Stanza stampFrom(Stanza out, XmppSession sender) {
        return out.element().attribute("from") == null ? out.withFrom(domainOf(sender)) : out;
    }

    /**
     * Answers a stanza with a stanza error, delivered straight to the sender (RFC 6120 8.3.1). Never answers an
     * error or an IQ response (8.3.1, 8.2.3), and never a server stanza (there is nobody to tell) except an IQ
     * request the server waits for, whose waiter gets the error as the response.
     */
    private void bounce(Stanza stanza, @Nullable XmppSession sender, StanzaError error) {
        if (sender == null && stanza instanceof Iq iq && iq.isRequest() && pending.complete(iq.error(error))) {
            return;
        }
        if (sender == null || stanza.isError() || (stanza instanceof Iq iq && !iq.isRequest())) {
            if (log.isDebugEnabled()) {
                log.debug("dropped {} id={}: {} not answered", name(stanza), stanza.id(),
                        error.condition().elementName());
            }
            return;
        }
        Stanza reply = stanza.errorReply(error);
        // The server returns the error, so it is the sender when the original had no usable 'to' (absent, or
        // malformed: an unparseable 'from' would be worse than none).
        if (error.condition() == StanzaError.Condition.JID_MALFORMED || reply.element().attribute("from") == null) {
            reply = reply.withFrom(domainOf(sender));
        }
        if (!sender.deliver(reply) && log.isDebugEnabled()) {
            log.debug("error {} for {} id={} not delivered: {} refused it", error.condition().elementName(),
                    name(stanza), stanza.id(), sender.jid());
        }
    }

    private Mono<Void> drop(Stanza stanza, String why) {
        if (log.isDebugEnabled()) {
            log.debug("dropped {} id={}: {}", name(stanza), stanza.id(), why);
        }
        return Mono.empty();
    }

    private boolean serves(Jid jid) {
        return domains.containsKey(jid.domainpart());
    }

    /** The domain the sender's account lives on, or the first served domain. */
    private DomainJid domainOf(XmppSession sender) {
        DomainJid d = domains.get(sender.jid().domainpart());
        return d == null ? firstDomain : d;
    }

    private static String name(Stanza stanza) {
        return stanza.element().localName();
    }
}
