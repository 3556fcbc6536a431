package org.fluxmpp.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.DomainJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.jid.JidFormatException;
import org.fluxmpp.routing.StanzaRoute;
import org.fluxmpp.session.XmppSession;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaError.Condition;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.stream.StreamError;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class XmppRouterTest {

    private static final String DOMAIN = "example.com";
    private static final XmlElement UNKNOWN_PAYLOAD = XmlElement.empty("urn:example:unknown", "query");
    private static final XmlElement PING = XmlElement.empty(PingHandler.NAMESPACE, PingHandler.ELEMENT);

    private XmppRouter router = XmppRouter.create().domain(DOMAIN);
    private final RecordingSession romeo = new RecordingSession("romeo@example.com/orchard");

    // ---------------------------------------------------------------------------------------------- helpers

    private RecordingSession bound(String jid) {
        return bound(jid, Instant.EPOCH);
    }

    private RecordingSession bound(String jid, Instant lastActivity) {
        RecordingSession s = new RecordingSession(jid, lastActivity);
        StepVerifier.create(router.bind(s)).verifyComplete();
        return s;
    }

    private void route(Stanza stanza) {
        route(stanza, romeo);
    }

    private void route(Stanza stanza, XmppSession sender) {
        StepVerifier.create(router.route(stanza, sender)).verifyComplete();
    }

    private Iq iqGet(XmlElement payload, String to) {
        Iq.Builder b = Iq.get(payload).from(romeo.jid()).id("q1");
        return (to == null ? b : b.to(to)).build();
    }

    private Iq iqResult(String to) {
        // A result to 'to' from romeo: built as the reply to a get from 'to'.
        return Iq.get(UNKNOWN_PAYLOAD).from(Jid.parse(to)).to(romeo.jid()).id("r1").build().result();
    }

    private Message chat(String to, String body) {
        return Message.builder().to(to).from(romeo.jid()).type(Message.Type.CHAT).id("m-" + body).body(body).build();
    }

    private Presence presence(String to) {
        return Presence.builder().to(to).from(romeo.jid()).id("p1").build();
    }

    private static StanzaError.Condition conditionOf(Stanza stanza) {
        assertThat(stanza.isError()).as("an error stanza: %s", stanza).isTrue();
        return stanza.error().condition();
    }

    private void assertRomeoGotError(Condition condition, Stanza original) {
        assertThat(romeo.received()).hasSize(1);
        Stanza reply = romeo.received().get(0);
        assertThat(conditionOf(reply)).isEqualTo(condition);
        assertThat(reply.getClass()).isEqualTo(original.getClass());
        assertThat(reply.id()).isEqualTo(original.id());
        assertThat(reply.to()).isEqualTo(romeo.jid());
    }

    private static StanzaRoute messageRoute(String body) {
        return Routes.message((msg, session) -> Mono.just(Message.builder().to("juliet@example.com/balcony")
                .body(body).build()));
    }

    // ---------------------------------------------------------------------------------------------- to the server

    @Nested
    class ToTheServer {

        @Test
        void iqRequestNoRouteTakesIsServiceUnavailable() {
            Iq iq = iqGet(UNKNOWN_PAYLOAD, DOMAIN);
            route(iq);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, iq);
            assertThat(romeo.received().get(0).from()).isEqualTo(DomainJid.of(DOMAIN));
        }

        @Test
        void iqRequestWithoutToIsForTheServerAndAnsweredFromItsDomain() {
            Iq iq = iqGet(UNKNOWN_PAYLOAD, null);
            route(iq);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, iq);
            assertThat(romeo.received().get(0).from()).isEqualTo(DomainJid.of(DOMAIN));
        }

        @Test
        void pingIsAnsweredWithAnEmptyResult() {
            route(iqGet(PING, DOMAIN));

            assertThat(romeo.received()).singleElement().satisfies(reply -> {
                Iq result = (Iq) reply;
                assertThat(result.type()).isEqualTo(Iq.Type.RESULT);
                assertThat(result.id()).isEqualTo("q1");
                assertThat(result.payload()).isNull();
                assertThat(result.from()).isEqualTo(DomainJid.of(DOMAIN));
                assertThat(result.to()).isEqualTo(romeo.jid());
            });
        }

        @Test
        void aReplyGoesBackToTheRequestingSessionOnceWhetherItIsBoundOrNot() {
            StepVerifier.create(router.bind(romeo)).verifyComplete();

            route(iqGet(PING, DOMAIN));

            assertThat(romeo.received()).singleElement()
                    .satisfies(reply -> assertThat(((Iq) reply).type()).isEqualTo(Iq.Type.RESULT));
        }

        @Test
        void aReplyTheRequestingSessionRefusesFollowsTheRulesForItsFullJid() {
            RecordingSession other = bound("romeo@example.com/garden");
            romeo.accepting(false);
            router = router.route(Routes.message((msg, session) -> Mono.just(Message.builder()
                    .to(session.jid()).type(Message.Type.CHAT).body("echo").build())));

            route(chat(DOMAIN, "hi"));

            assertThat(other.received()).singleElement()
                    .satisfies(m -> assertThat(((Message) m).body()).isEqualTo("echo"));
        }

        @Test
        void pingWithoutToIsAnsweredFromTheServerDomain() {
            route(iqGet(PING, null));

            assertThat(romeo.received()).singleElement().satisfies(reply -> {
                assertThat(((Iq) reply).type()).isEqualTo(Iq.Type.RESULT);
                assertThat(reply.from()).isEqualTo(DomainJid.of(DOMAIN));
            });
        }

        @Test
        void pingToTheDomainWithAResourceIsForTheServer() {
            route(iqGet(PING, DOMAIN + "/admin"));

            assertThat(romeo.received()).singleElement()
                    .satisfies(reply -> assertThat(((Iq) reply).type()).isEqualTo(Iq.Type.RESULT));
        }

        @Test
        void pingToAnyServedDomainIsForTheServer() {
            router = router.domain("example.org");
            route(iqGet(PING, "example.org"));

            assertThat(romeo.received()).singleElement().satisfies(reply -> {
                assertThat(((Iq) reply).type()).isEqualTo(Iq.Type.RESULT);
                assertThat(reply.from()).isEqualTo(DomainJid.of("example.org"));
            });
        }

        @Test
        void iqResultNobodyWaitsForIsDropped() {
            route(iqResult(DOMAIN));

            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void messageNoRouteTakesIsServiceUnavailable() {
            Message m = chat(DOMAIN, "hello server");
            route(m);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, m);
        }

        @Test
        void presenceNoRouteTakesIsDropped() {
            route(Presence.builder().from(romeo.jid()).build());
            route(presence(DOMAIN));

            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void userRoutesComeBeforeTheBuiltInPing() {
            XmlElement marker = XmlElement.empty("urn:example:mine", "pong");
            router = router.route(Routes.iq(Iq.Type.GET, PingHandler.NAMESPACE, PingHandler.ELEMENT,
                    (iq, session) -> Mono.just(iq.result(marker))));

            route(iqGet(PING, DOMAIN));

            assertThat(romeo.received()).singleElement()
                    .satisfies(reply -> assertThat(((Iq) reply).payload()).isEqualTo(marker));
        }

        @Test
        void theFirstMatchingRouteWins() {
            RecordingSession juliet = bound("juliet@example.com/balcony");
            router = router.route((s, session) -> Mono.empty()).route(messageRoute("first"))
                    .route(messageRoute("second"));

            route(chat(DOMAIN, "hi"));

            assertThat(juliet.received()).singleElement()
                    .satisfies(m -> assertThat(((Message) m).body()).isEqualTo("first"));
            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void whatAHandlerEmitsIsRoutedFromTheServerDomain() {
            RecordingSession juliet = bound("juliet@example.com/balcony");
            router = router.route(messageRoute("forwarded"));

            route(chat(DOMAIN, "hi"));

            assertThat(juliet.received()).singleElement().satisfies(m -> {
                assertThat(((Message) m).body()).isEqualTo("forwarded");
                assertThat(m.from()).isEqualTo(DomainJid.of(DOMAIN));
            });
        }

        @Test
        void whatAHandlerEmitsToTheServerIsDroppedNotLooped() {
            AtomicInteger calls = new AtomicInteger();
            router = router.route(Routes.message((msg, session) -> {
                calls.incrementAndGet();
                return Mono.just(Message.builder().to(DOMAIN).body("again").build());
            }));

            route(chat(DOMAIN, "hi"));

            assertThat(calls).hasValue(1);
            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void handlerSignallingStanzaErrorExceptionAnswersWithThatError() {
            router = router.route(Routes.iq(Iq.Type.GET, "urn:example:unknown", "query", (iq, session) ->
                    Mono.error(new StanzaErrorException(StanzaError.of(Condition.ITEM_NOT_FOUND)))));
            Iq iq = iqGet(UNKNOWN_PAYLOAD, DOMAIN);

            route(iq);

            assertRomeoGotError(Condition.ITEM_NOT_FOUND, iq);
        }

        @Test
        void handlerThrowingStanzaErrorExceptionAnswersWithThatError() {
            router = router.route(Routes.iq(Iq.Type.GET, "urn:example:unknown", "query", (iq, session) -> {
                throw new StanzaErrorException(Condition.NOT_ALLOWED, "no");
            }));
            Iq iq = iqGet(UNKNOWN_PAYLOAD, DOMAIN);

            route(iq);

            assertRomeoGotError(Condition.NOT_ALLOWED, iq);
        }

        @Test
        void handlerFailingOtherwiseAnswersInternalServerError() {
            router = router.route(Routes.iq(Iq.Type.GET, "urn:example:unknown", "query",
                    (iq, session) -> Flux.error(new IllegalStateException("bug in a handler"))));
            Iq iq = iqGet(UNKNOWN_PAYLOAD, DOMAIN);

            route(iq);

            assertRomeoGotError(Condition.INTERNAL_SERVER_ERROR, iq);
        }

        @Test
        void routeFailingAnswersInternalServerError() {
            router = router.route((s, session) -> {
                throw new IllegalStateException("bug in a route");
            });
            Iq iq = iqGet(PING, DOMAIN);

            route(iq);

            assertRomeoGotError(Condition.INTERNAL_SERVER_ERROR, iq);
        }
    }

    // ---------------------------------------------------------------------------------------------- to a full JID

    @Nested
    class ToALocalFullJid {

        @Test
        void isDeliveredToTheBoundSession() {
            RecordingSession juliet = bound("juliet@example.com/balcony");
            Message m = chat("juliet@example.com/balcony", "hi");
            Iq iq = iqGet(UNKNOWN_PAYLOAD, "juliet@example.com/balcony");
            Presence p = presence("juliet@example.com/balcony");

            route(m);
            route(iq);
            route(p);

            assertThat(juliet.received()).containsExactly(m, iq, p);
            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void unboundMessageFallsBackToTheMostRecentlyActiveOtherResource() {
            RecordingSession garden = bound("juliet@example.com/garden", Instant.ofEpochSecond(5));
            RecordingSession chamber = bound("juliet@example.com/chamber", Instant.ofEpochSecond(20));
            RecordingSession balcony = bound("juliet@example.com/balcony", Instant.ofEpochSecond(10));
            Message m = chat("juliet@example.com/gone", "hi");

            route(m);

            assertThat(chamber.received()).containsExactly(m);
            assertThat(garden.received()).isEmpty();
            assertThat(balcony.received()).isEmpty();
            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void unboundMessageWithNoOtherResourceIsServiceUnavailable() {
            Message m = chat("juliet@example.com/gone", "hi");

            route(m);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, m);
            assertThat(romeo.received().get(0).from()).isEqualTo(Jid.parse("juliet@example.com/gone"));
        }

        @Test
        void unboundIqRequestIsServiceUnavailable() {
            bound("juliet@example.com/balcony");
            Iq iq = iqGet(PING, "juliet@example.com/gone");

            route(iq);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, iq);
        }

        @Test
        void unboundPresenceIsDropped() {
            RecordingSession balcony = bound("juliet@example.com/balcony");

            route(presence("juliet@example.com/gone"));

            assertThat(balcony.received()).isEmpty();
            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void unboundIqResultIsDropped() {
            RecordingSession balcony = bound("juliet@example.com/balcony");

            route(iqResult("juliet@example.com/gone"));

            assertThat(balcony.received()).isEmpty();
            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void iqRequestToASessionThatRefusesIsServiceUnavailable() {
            RecordingSession juliet = bound("juliet@example.com/balcony").accepting(false);
            Iq iq = iqGet(UNKNOWN_PAYLOAD, "juliet@example.com/balcony");

            route(iq);

            assertThat(juliet.received()).isEmpty();
            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, iq);
        }

        @Test
        void iqRequestToASessionWhoseQueueIsFullIsServiceUnavailable() {
            RecordingSession juliet = new RecordingSession("juliet@example.com/balcony", Instant.EPOCH, 1);
            StepVerifier.create(router.bind(juliet)).verifyComplete();
            Iq first = iqGet(UNKNOWN_PAYLOAD, "juliet@example.com/balcony");
            Iq second = first.withId("q2");

            route(first);
            route(second);

            assertThat(juliet.received()).containsExactly(first);
            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, second);
        }

        @Test
        void messageToASessionThatRefusesGoesToAnotherResourceNotBackToIt() {
            RecordingSession balcony = bound("juliet@example.com/balcony", Instant.ofEpochSecond(20)).accepting(false);
            RecordingSession chamber = bound("juliet@example.com/chamber", Instant.ofEpochSecond(10));
            Message m = chat("juliet@example.com/balcony", "hi");

            route(m);

            assertThat(balcony.received()).isEmpty();
            assertThat(chamber.received()).containsExactly(m);
            assertThat(romeo.received()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ accepted by a session that ended unwritten

    @Nested
    class HandedBackBySessionThatEnded {

        private final RecordingSession sender = bound("romeo@example.com/orchard");

        /** Juliet's balcony accepted the stanza, then its stream ended (overflow or disconnect) and it came back. */
        private RecordingSession balconyThatEnded(Stanza stanza) {
            RecordingSession balcony = bound("juliet@example.com/balcony", Instant.ofEpochSecond(20));
            route(stanza, sender);
            assertThat(balcony.received()).containsExactly(stanza);
            router.unbind(balcony);
            router.undeliverable(stanza, balcony);
            return balcony;
        }

        @Test
        void iqRequestIsAnsweredWithServiceUnavailable() {
            Iq iq = iqGet(UNKNOWN_PAYLOAD, "juliet@example.com/balcony");

            balconyThatEnded(iq);

            assertThat(sender.received()).singleElement().satisfies(reply -> {
                assertThat(conditionOf(reply)).isEqualTo(Condition.SERVICE_UNAVAILABLE);
                assertThat(reply.id()).isEqualTo(iq.id());
            });
        }

        @Test
        void messageToTheFullJidGoesToAnotherResource() {
            RecordingSession chamber = bound("juliet@example.com/chamber", Instant.ofEpochSecond(10));
            Message m = chat("juliet@example.com/balcony", "hi");

            balconyThatEnded(m);

            assertThat(chamber.received()).containsExactly(m);
            assertThat(sender.received()).isEmpty();
        }

        @Test
        void messageToTheBareJidGoesToTheNextResource() {
            RecordingSession chamber = bound("juliet@example.com/chamber", Instant.ofEpochSecond(10));
            Message m = chat("juliet@example.com", "hi");

            balconyThatEnded(m);

            assertThat(chamber.received()).containsExactly(m);
        }

        @Test
        void messageWithNoOtherResourceIsServiceUnavailable() {
            Message m = chat("juliet@example.com/balcony", "hi");

            balconyThatEnded(m);

            assertThat(sender.received()).singleElement()
                    .satisfies(reply -> assertThat(conditionOf(reply)).isEqualTo(Condition.SERVICE_UNAVAILABLE));
        }

        @Test
        void presenceAndIqResponsesAreDropped() {
            RecordingSession chamber = bound("juliet@example.com/chamber", Instant.ofEpochSecond(10));

            balconyThatEnded(presence("juliet@example.com/balcony"));
            Iq result = Iq.get(UNKNOWN_PAYLOAD).from(Jid.parse("juliet@example.com/balcony")).to(sender.jid())
                    .id("r1").build().result();
            balconyThatEnded(result);

            assertThat(chamber.received()).isEmpty();
            assertThat(sender.received()).isEmpty();
        }

        @Test
        void aSenderThatIsGoneHearsNothing() {
            Iq iq = iqGet(UNKNOWN_PAYLOAD, "juliet@example.com/balcony");
            RecordingSession balcony = bound("juliet@example.com/balcony");
            route(iq, sender);
            router.unbind(sender);

            router.undeliverable(iq, balcony);

            assertThat(sender.received()).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------- to a bare JID

    @Nested
    class ToALocalBareJid {

        @Test
        void messageGoesToTheMostRecentlyActiveResourceOnly() {
            RecordingSession balcony = bound("juliet@example.com/balcony", Instant.ofEpochSecond(10));
            RecordingSession chamber = bound("juliet@example.com/chamber", Instant.ofEpochSecond(20));

            route(chat("juliet@example.com", "one"));
            balcony.lastActivity(Instant.ofEpochSecond(30));
            route(chat("juliet@example.com", "two"));

            assertThat(chamber.received()).extracting(s -> ((Message) s).body()).containsExactly("one");
            assertThat(balcony.received()).extracting(s -> ((Message) s).body()).containsExactly("two");
        }

        @Test
        void messageGoesToTheNextResourceWhenTheMostRecentRefuses() {
            RecordingSession balcony = bound("juliet@example.com/balcony", Instant.ofEpochSecond(10));
            bound("juliet@example.com/chamber", Instant.ofEpochSecond(20)).accepting(false);

            route(chat("juliet@example.com", "hi"));

            assertThat(balcony.received()).hasSize(1);
            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void messageToAnAccountWithNoResourceThatTakesItIsServiceUnavailable() {
            bound("juliet@example.com/balcony").accepting(false);
            Message m = chat("juliet@example.com", "hi");

            route(m);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, m);
        }

        @Test
        void groupchatMessageIsServiceUnavailable() {
            RecordingSession balcony = bound("juliet@example.com/balcony");
            Message m = Message.builder().to("juliet@example.com").from(romeo.jid()).id("g1")
                    .type(Message.Type.GROUPCHAT).body("hi").build();

            route(m);

            assertThat(balcony.received()).isEmpty();
            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, m);
        }

        @Test
        void errorMessageIsDropped() {
            RecordingSession balcony = bound("juliet@example.com/balcony");
            Message error = Message.builder().from(Jid.parse("juliet@example.com")).to(romeo.jid()).id("e1")
                    .body("x").build().errorReply(StanzaError.of(Condition.BAD_REQUEST));

            route(error);

            assertThat(balcony.received()).isEmpty();
            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void presenceGoesToEveryResource() {
            RecordingSession balcony = bound("juliet@example.com/balcony");
            RecordingSession chamber = bound("juliet@example.com/chamber");
            Presence p = presence("juliet@example.com");

            route(p);

            assertThat(balcony.received()).containsExactly(p);
            assertThat(chamber.received()).containsExactly(p);
            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void presenceToAnAccountWithoutResourcesIsDropped() {
            route(presence("juliet@example.com"));

            assertThat(romeo.received()).isEmpty();
        }

        @Test
        void iqRequestIsAnsweredOnBehalfOfTheAccountThroughTheRoutes() {
            RecordingSession balcony = bound("juliet@example.com/balcony");

            route(iqGet(PING, "juliet@example.com"));

            assertThat(balcony.received()).isEmpty();
            assertThat(romeo.received()).singleElement().satisfies(reply -> {
                assertThat(((Iq) reply).type()).isEqualTo(Iq.Type.RESULT);
                assertThat(reply.from()).isEqualTo(BareJid.parse("juliet@example.com"));
            });
        }

        @Test
        void iqRequestNoRouteTakesIsServiceUnavailable() {
            RecordingSession balcony = bound("juliet@example.com/balcony");
            Iq iq = iqGet(UNKNOWN_PAYLOAD, "juliet@example.com");

            route(iq);

            assertThat(balcony.received()).isEmpty();
            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, iq);
        }

        @Test
        void iqRequestToAnAccountThatDoesNotExistIsServiceUnavailableEvenForPing() {
            Iq iq = iqGet(PING, "nobody@example.com");

            route(iq);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, iq);
        }

        @Test
        void messageToAnAccountThatDoesNotExistIsServiceUnavailable() {
            Message m = chat("nobody@example.com", "hi");

            route(m);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, m);
        }

        @Test
        void accountsFunctionDecidesWhetherAnAccountWithoutSessionsExists() {
            router = router.accounts(jid -> Mono.just(jid.localpart().equals("juliet")));

            route(iqGet(PING, "juliet@example.com"));
            route(iqGet(PING, "nobody@example.com"));

            assertThat(romeo.received()).hasSize(2);
            assertThat(((Iq) romeo.received().get(0)).type()).isEqualTo(Iq.Type.RESULT);
            assertThat(conditionOf(romeo.received().get(1))).isEqualTo(Condition.SERVICE_UNAVAILABLE);
        }

        @Test
        void messageToAnExistingAccountWithoutSessionsIsServiceUnavailable() {
            router = router.accounts(jid -> Mono.just(true));
            Message m = chat("juliet@example.com", "hi");

            route(m);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, m);
        }

        @Test
        void failingAccountLookupAnswersInternalServerError() {
            router = router.accounts(jid -> Mono.error(new IllegalStateException("store down")));
            Iq iq = iqGet(PING, "juliet@example.com");

            route(iq);

            assertRomeoGotError(Condition.INTERNAL_SERVER_ERROR, iq);
        }

        @Test
        void emptyAccountLookupMeansTheAccountDoesNotExist() {
            router = router.accounts(jid -> Mono.empty());
            Iq iq = iqGet(PING, "juliet@example.com");

            route(iq);

            assertRomeoGotError(Condition.SERVICE_UNAVAILABLE, iq);
        }
    }

    // ---------------------------------------------------------------------------------------------- other addresses

    @Nested
    class OtherAddresses {

        @Test
        void anotherDomainIsRemoteServerNotFound() {
            Message m = chat("mercutio@example.net", "hi");
            Iq iq = iqGet(PING, "example.net");

            route(m);
            route(iq);

            assertThat(romeo.received()).hasSize(2);
            assertThat(romeo.received()).allSatisfy(reply ->
                    assertThat(conditionOf(reply)).isEqualTo(Condition.REMOTE_SERVER_NOT_FOUND));
            assertThat(romeo.received().get(0).from()).isEqualTo(Jid.parse("mercutio@example.net"));
        }

        @Test
        void aMalformedToIsJidMalformedFromTheServer() {
            Stanza m = Stanza.of(XmlElement.builder(Stanza.CLIENT_NAMESPACE, "message")
                    .attribute("to", "@example.com").attribute("from", romeo.jid().toString())
                    .attribute("id", "bad1").build());
            assertThatThrownBy(m::to).isInstanceOf(JidFormatException.class);

            route(m);

            assertRomeoGotError(Condition.JID_MALFORMED, m);
            assertThat(romeo.received().get(0).from()).isEqualTo(DomainJid.of(DOMAIN));
        }

        @Test
        void anErrorIsNeverAnsweredWithAnError() {
            StanzaError bad = StanzaError.of(Condition.BAD_REQUEST);
            Message toServer = Message.builder().from(Jid.parse(DOMAIN)).to(romeo.jid()).id("e1").build()
                    .errorReply(bad);
            Message toUnbound = Message.builder().from(Jid.parse("juliet@example.com/gone")).to(romeo.jid())
                    .id("e2").build().errorReply(bad);
            Iq toRemote = Iq.get(PING).from(Jid.parse("example.net")).to(romeo.jid()).id("e3").build().error(bad);
            Stanza malformed = Stanza.of(XmlElement.builder(Stanza.CLIENT_NAMESPACE, "presence")
                    .attribute("to", "@example.com").attribute("from", romeo.jid().toString())
                    .attribute("type", "error").child(bad.toElement(Stanza.CLIENT_NAMESPACE)).build());

            route(toServer);
            route(toUnbound);
            route(toRemote);
            route(malformed);

            assertThat(List.of(toServer, toUnbound, toRemote, malformed)).allMatch(Stanza::isError);
            assertThat(romeo.received()).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------- binding

    @Nested
    class Binding {

        @Test
        void replaceOldClosesTheOldSessionWithTheConflictStreamError() {
            RecordingSession old = bound("juliet@example.com/balcony");
            RecordingSession fresh = bound("juliet@example.com/balcony");

            assertThat(old.closedWith()).isNotNull();
            assertThat(old.closedWith().condition()).isEqualTo(StreamError.Condition.CONFLICT);
            assertThat(fresh.isClosed()).isFalse();
            assertThat(router.registry().find(fresh.jid())).isSameAs(fresh);

            Message m = chat("juliet@example.com/balcony", "hi");
            route(m);
            assertThat(fresh.received()).containsExactly(m);
        }

        @Test
        void rejectNewSignalsTheConflictStanzaErrorAndKeepsTheOldSession() {
            router = router.conflictPolicy(ConflictPolicy.REJECT_NEW);
            RecordingSession old = bound("juliet@example.com/balcony");
            RecordingSession fresh = new RecordingSession("juliet@example.com/balcony");

            StepVerifier.create(router.bind(fresh))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(StanzaErrorException.class,
                            se -> assertThat(se.error().condition()).isEqualTo(Condition.CONFLICT)))
                    .verify();

            assertThat(old.isClosed()).isFalse();
            assertThat(router.registry().find(old.jid())).isSameAs(old);
        }

        @Test
        void oneResourceMoreThanTheLimitGetsResourceConstraint() {
            router = router.maxResourcesPerAccount(2);
            bound("juliet@example.com/one");
            RecordingSession two = bound("juliet@example.com/two");

            StepVerifier.create(router.bind(new RecordingSession("juliet@example.com/three")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(StanzaErrorException.class,
                            se -> assertThat(se.error().condition()).isEqualTo(Condition.RESOURCE_CONSTRAINT)))
                    .verify();
            // Taking over a bound resource is not one more; other accounts have their own limit.
            StepVerifier.create(router.bind(new RecordingSession("juliet@example.com/two"))).verifyComplete();
            assertThat(two.isClosed()).isTrue();
            StepVerifier.create(router.bind(new RecordingSession("romeo@example.com/one"))).verifyComplete();
            assertThat(XmppRouter.create().maxResourcesPerAccount()).isEqualTo(XmppRouter.DEFAULT_MAX_RESOURCES);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> router.maxResourcesPerAccount(0))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void bindingTheSameSessionAgainClosesNothing() {
            RecordingSession s = bound("juliet@example.com/balcony");

            StepVerifier.create(router.bind(s)).verifyComplete();
            StepVerifier.create(router.conflictPolicy(ConflictPolicy.REJECT_NEW).bind(s)).verifyComplete();

            assertThat(s.isClosed()).isFalse();
        }

        @Test
        void unbindRemovesTheSessionButNotTheOneThatReplacedIt() {
            RecordingSession old = bound("juliet@example.com/balcony");
            RecordingSession fresh = bound("juliet@example.com/balcony");

            router.unbind(old);
            assertThat(router.registry().find(fresh.jid())).isSameAs(fresh);

            router.unbind(fresh);
            assertThat(router.registry().find(fresh.jid())).isNull();
            assertThat(router.registry().size()).isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------- order

    @Test
    void aSendersStanzasAreDeliveredInTheOrderRouteIsCalled() {
        RecordingSession juliet = bound("juliet@example.com/balcony");
        int n = 20;
        // Earlier stanzas take longer in the handler: any overlap of two route() calls would reorder them.
        router = router.route(Routes.message((msg, session) -> {
            int i = Integer.parseInt(msg.body());
            return Mono.delay(Duration.ofMillis(2L * (n - i)))
                    .thenReturn(Message.builder().to("juliet@example.com/balcony").body(msg.body()).build());
        }));

        StepVerifier.create(Flux.range(0, n).concatMap(i -> router.route(chat(DOMAIN, Integer.toString(i)), romeo)))
                .verifyComplete();

        assertThat(juliet.received()).extracting(s -> ((Message) s).body())
                .containsExactlyElementsOf(Flux.range(0, n).map(String::valueOf).collectList().block());
    }

    @Test
    void routeCompletesOnlyAfterEverythingTheHandlerEmittedWasDelivered() {
        RecordingSession juliet = bound("juliet@example.com/balcony");
        router = router.route(Routes.message((msg, session) -> Flux.range(0, 3)
                .delayElements(Duration.ofMillis(5))
                .map(i -> Message.builder().to("juliet@example.com/balcony").body("part " + i).build())));

        StepVerifier.create(router.route(chat(DOMAIN, "go"), romeo)).verifyComplete();

        assertThat(juliet.received()).extracting(s -> ((Message) s).body())
                .containsExactly("part 0", "part 1", "part 2");
    }

    // ---------------------------------------------------------------------------------------------- configuration

    @Nested
    class Configuration {

        @Test
        void everySetterReturnsANewInstanceAndLeavesTheOriginalUnchanged() {
            XmppRouter base = XmppRouter.create();
            SessionRegistry registry = new InMemorySessionRegistry();
            StanzaRoute route = Routes.ping();

            XmppRouter withDomain = base.domain(DOMAIN);
            XmppRouter withSameDomain = withDomain.domain(DOMAIN);
            XmppRouter withDomains = base.domains(List.of("a.example", "b.example"));
            XmppRouter withRegistry = base.registry(registry);
            XmppRouter withPolicy = base.conflictPolicy(ConflictPolicy.REJECT_NEW);
            XmppRouter withAccounts = base.accounts(jid -> Mono.just(true));
            XmppRouter withRoute = base.route(route);

            assertThat(List.of(withDomain, withSameDomain, withDomains, withRegistry, withPolicy, withAccounts,
                    withRoute)).doesNotContain(base).doesNotHaveDuplicates();
            assertThat(withSameDomain).isNotSameAs(withDomain);

            assertThat(base.domains()).isEmpty();
            assertThat(base.registry()).isNotSameAs(registry);
            assertThat(base.conflictPolicy()).isEqualTo(ConflictPolicy.REPLACE_OLD);
            assertThat(base.routes()).isEmpty();

            assertThat(withDomain.domains()).containsExactly(DomainJid.of(DOMAIN));
            assertThat(withSameDomain.domains()).containsExactly(DomainJid.of(DOMAIN));
            assertThat(withDomain.domain("example.org").domains())
                    .containsExactly(DomainJid.of(DOMAIN), DomainJid.of("example.org"));
            assertThat(withDomains.domains()).containsExactly(DomainJid.of("a.example"), DomainJid.of("b.example"));
            assertThat(withRegistry.registry()).isSameAs(registry);
            assertThat(withPolicy.conflictPolicy()).isEqualTo(ConflictPolicy.REJECT_NEW);
            assertThat(withRoute.routes()).containsExactly(route);
            assertThat(withRoute.route(route).routes()).containsExactly(route, route);
            assertThat(withRoute.routes()).containsExactly(route);
        }

        @Test
        void settersCheckTheirArguments() {
            XmppRouter base = XmppRouter.create();

            assertThatThrownBy(() -> base.domain("")).isInstanceOf(JidFormatException.class);
            assertThatThrownBy(() -> base.domains(List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> base.registry(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> base.conflictPolicy(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> base.accounts(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> base.route(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void routingWithoutADomainSignalsIllegalState() {
            StepVerifier.create(XmppRouter.create().route(iqGet(PING, null), romeo))
                    .verifyError(IllegalStateException.class);
        }

        @Test
        void theConfiguredRegistryIsTheOneBoundTo() {
            SessionRegistry registry = new InMemorySessionRegistry();
            router = router.registry(registry);

            RecordingSession juliet = bound("juliet@example.com/balcony");

            assertThat(registry.find(juliet.jid())).isSameAs(juliet);
        }
    }

    @Nested
    class RouteFactories {

        @Test
        void iqRouteMatchesTypeAndPayloadName() {
            StanzaRoute route = Routes.iq(Iq.Type.GET, PingHandler.NAMESPACE, PingHandler.ELEMENT,
                    (iq, session) -> Mono.empty());

            StepVerifier.create(route.route(iqGet(PING, DOMAIN), romeo)).expectNextCount(1).verifyComplete();
            StepVerifier.create(route.route(iqGet(UNKNOWN_PAYLOAD, DOMAIN), romeo)).verifyComplete();
            StepVerifier.create(route.route(Iq.set(PING).id("s1").build(), romeo)).verifyComplete();
            StepVerifier.create(route.route(chat(DOMAIN, "x"), romeo)).verifyComplete();
        }

        @Test
        void messageAndPresenceRoutesMatchTheirKindOnly() {
            StanzaRoute messages = Routes.message((m, session) -> Mono.empty());
            StanzaRoute presences = Routes.presence((p, session) -> Mono.empty());

            StepVerifier.create(messages.route(chat(DOMAIN, "x"), romeo)).expectNextCount(1).verifyComplete();
            StepVerifier.create(messages.route(presence(DOMAIN), romeo)).verifyComplete();
            StepVerifier.create(presences.route(presence(DOMAIN), romeo)).expectNextCount(1).verifyComplete();
            StepVerifier.create(presences.route(iqGet(PING, DOMAIN), romeo)).verifyComplete();
        }
    }
}
