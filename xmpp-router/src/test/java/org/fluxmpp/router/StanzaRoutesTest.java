package org.fluxmpp.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fluxmpp.router.StanzaPredicates.hasBody;
import static org.fluxmpp.router.StanzaPredicates.hasExtension;
import static org.fluxmpp.router.StanzaPredicates.messageType;
import static org.fluxmpp.router.StanzaPredicates.toDomain;

import com.fasterxml.jackson.annotation.JsonRootName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.namespace.QName;
import org.fluxmpp.codec.PayloadBinding;
import org.fluxmpp.routing.StanzaHandler;
import org.fluxmpp.routing.StanzaRoute;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stanza.StanzaError.Condition;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

class StanzaRoutesTest {

    private static final String WEATHER = "urn:example:weather";
    private static final String TIME = "urn:xmpp:time";

    @SuppressWarnings("deprecation") // the annotation most code still has; Jackson 3 prefers @JsonRootName
    @JacksonXmlRootElement(namespace = WEATHER, localName = "weather")
    record WeatherQuery(String city, int days) {
    }

    @JsonRootName(value = "forecast", namespace = WEATHER)
    record Forecast(String city, double celsius) {
    }

    record Unnamed(String city) {
    }

    private final RecordingSession romeo = new RecordingSession("romeo@example.com/orchard");

    // ---------------------------------------------------------------------------------------------- helpers

    /** Routes the stanza and runs the handler the route picked: what it emits, or nothing when no route takes it. */
    private Flux<Stanza> run(StanzaRoute route, Stanza stanza) {
        return route.route(stanza, romeo).flatMapMany(handler -> Flux.from(handler.handle(stanza, romeo)));
    }

    private List<Stanza> runAll(StanzaRoute route, Stanza stanza) {
        List<Stanza> out = run(route, stanza).collectList().block();
        return out == null ? List.of() : out;
    }

    private Iq get(XmlElement payload) {
        return Iq.get(payload).from(romeo.jid()).to("example.com").id("g1").build();
    }

    private Iq set(XmlElement payload) {
        return Iq.set(payload).from(romeo.jid()).to("example.com").id("s1").build();
    }

    private Message chat(String body) {
        return Message.builder().from(romeo.jid()).to("juliet@example.com").type(Message.Type.CHAT).body(body)
                .build();
    }

    private static StanzaHandler<Stanza> saying(String body) {
        return (stanza, session) -> Mono.just(Message.builder().to(session.jid()).body(body).build());
    }

    private static String bodyOf(Stanza stanza) {
        return ((Message) stanza).body();
    }

    private static XmlElement weather(String city, String days) {
        return XmlElement.builder(WEATHER, "weather")
                .child(XmlElement.builder(WEATHER, "city").text(city).build())
                .child(XmlElement.builder(WEATHER, "days").text(days).build())
                .build();
    }

    // ---------------------------------------------------------------------------------------------- matching

    @Nested
    class Matching {

        @Test
        void theFirstMatchingRouteWins() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .message(messageType(Message.Type.HEADLINE), (m, s) -> Mono.just(m))
                    .route(hasBody(), saying("first"))
                    .message((m, s) -> Mono.just(Message.builder().body("second").build()))
                    .build();

            assertThat(runAll(routes, chat("hi"))).extracting(StanzaRoutesTest::bodyOf).containsExactly("first");
        }

        @Test
        void noMatchIsAnEmptyMono() {
            StanzaRoutes routes = StanzaRoutes.route().iqGet(TIME, "time", (iq, s) -> Mono.just(iq.result()))
                    .build();

            StepVerifier.create(routes.route(chat("hi"), romeo)).verifyComplete();
            StepVerifier.create(routes.route(set(XmlElement.empty(TIME, "time")), romeo)).verifyComplete();
            StepVerifier.create(routes.route(get(XmlElement.empty(TIME, "other")), romeo)).verifyComplete();
            StepVerifier.create(StanzaRoutes.route().build().route(chat("hi"), romeo)).verifyComplete();
        }

        @Test
        void iqGetAndIqSetAreToldApartByType() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqGet(TIME, "time", (iq, s) -> Mono.just(iq.result(XmlElement.empty(TIME, "got"))))
                    .iqSet(TIME, "time", (iq, s) -> Mono.just(iq.result(XmlElement.empty(TIME, "set"))))
                    .build();

            assertThat(runAll(routes, get(XmlElement.empty(TIME, "time")))).singleElement()
                    .satisfies(r -> assertThat(((Iq) r).payload().localName()).isEqualTo("got"));
            assertThat(runAll(routes, set(XmlElement.empty(TIME, "time")))).singleElement()
                    .satisfies(r -> assertThat(((Iq) r).payload().localName()).isEqualTo("set"));
        }

        @Test
        void iqRoutesByQualifiedName() {
            QName time = new QName(TIME, "time");
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqGet(time, (iq, s) -> Mono.just(iq.result(XmlElement.empty(TIME, "got"))))
                    .iqSet(time, (iq, s) -> Mono.just(iq.result(XmlElement.empty(TIME, "set"))))
                    .build();

            assertThat(routes.features()).containsExactly(TIME);
            assertThat(runAll(routes, get(XmlElement.empty(TIME, "time")))).singleElement()
                    .satisfies(r -> assertThat(((Iq) r).payload().localName()).isEqualTo("got"));
            assertThat(runAll(routes, set(XmlElement.empty(TIME, "time")))).singleElement()
                    .satisfies(r -> assertThat(((Iq) r).payload().localName()).isEqualTo("set"));
        }

        @Test
        void messagePresenceAndIqRoutesTakeTheirKindOnly() {
            Presence presence = Presence.builder().from(romeo.jid()).build();
            Iq result = get(XmlElement.empty(TIME, "time")).result();
            StanzaRoutes routes = StanzaRoutes.route()
                    .message(hasBody(), (m, s) -> Mono.just(m))
                    .presence((p, s) -> Mono.just(p))
                    .iq(StanzaPredicates.iq(Iq.Type.RESULT), (iq, s) -> Mono.just(iq))
                    .build();

            assertThat(runAll(routes, presence)).containsExactly(presence);
            assertThat(runAll(routes, result)).containsExactly(result);
            assertThat(runAll(routes, chat("hi"))).hasSize(1);
            assertThat(runAll(routes, Message.builder().from(romeo.jid()).build())).isEmpty();
        }

        @Test
        void presenceWithAPredicate() {
            StanzaRoutes routes = StanzaRoutes.route().presence(toDomain(), (p, s) -> Mono.just(p)).build();
            Presence toServer = Presence.builder().from(romeo.jid()).build();
            Presence toJuliet = Presence.builder().from(romeo.jid()).to("juliet@example.com").build();

            assertThat(runAll(routes, toServer)).containsExactly(toServer);
            assertThat(runAll(routes, toJuliet)).isEmpty();
        }

        @Test
        void theSingleRouteFactory() {
            StanzaRoutes route = StanzaRoutes.route(hasExtension("urn:xmpp:receipts", "request"), saying("receipt"));
            Message withReceipt = Message.builder().from(romeo.jid()).id("m1")
                    .child(XmlElement.empty("urn:xmpp:receipts", "request")).build();

            assertThat(runAll(route, withReceipt)).extracting(StanzaRoutesTest::bodyOf).containsExactly("receipt");
            assertThat(runAll(route, chat("hi"))).isEmpty();
            assertThat(route.features()).isEmpty();
        }

        @Test
        void addedRoutesKeepTheirPlaceAndAnAsynchronousRouteIsWaitedFor() {
            StanzaRoute later = (stanza, session) -> Mono.delay(java.time.Duration.ofMillis(5)).then(Mono.empty());
            StanzaRoute asyncMatch = (stanza, session) -> Mono.delay(java.time.Duration.ofMillis(5))
                    .then(Mono.just(saying("async")));
            StanzaRoutes routes = StanzaRoutes.route()
                    .add(later)
                    .add(asyncMatch)
                    .route(hasBody(), saying("sync"))
                    .build();

            assertThat(runAll(routes, chat("hi"))).extracting(StanzaRoutesTest::bodyOf).containsExactly("async");
        }

        @Test
        void aPredicateThatThrowsIsAnErrorOfTheRoute() {
            StanzaRoutes routes = StanzaRoutes.route((s, session) -> {
                throw new IllegalStateException("bug in a predicate");
            }, saying("never"));

            StepVerifier.create(routes.route(chat("hi"), romeo)).verifyError(IllegalStateException.class);
        }

        @Test
        void buildTakesASnapshot() {
            StanzaRoutes.Builder builder = StanzaRoutes.route().route(hasBody(), saying("one"));
            StanzaRoutes first = builder.build();
            builder.iqGet(TIME, "time", (iq, s) -> Mono.just(iq.result()));
            StanzaRoutes second = builder.build();

            assertThat(first.features()).isEmpty();
            assertThat(second.features()).containsExactly(TIME);
            assertThat(runAll(first, get(XmlElement.empty(TIME, "time")))).isEmpty();
            assertThat(runAll(second, get(XmlElement.empty(TIME, "time")))).hasSize(1);
        }

        @Test
        void nullArgumentsAreRefused() {
            StanzaRoutes.Builder b = StanzaRoutes.route();
            assertThatThrownBy(() -> b.iqGet(TIME, "time", (StanzaHandler<Iq>) null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> b.message(null, (m, s) -> Mono.empty())).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> b.filter(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> b.onError(null, (e, s, x) -> Mono.empty()))
                    .isInstanceOf(NullPointerException.class);
        }
    }

    // ---------------------------------------------------------------------------------------------- nest

    @Nested
    class Nest {

        @Test
        void nestedRoutesAreTriedOnlyWhenThePredicateMatchesAndInTheirPlace() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .nest(toDomain(), server -> server
                            .message(hasBody(), (m, s) -> Mono.just(Message.builder().body("server").build())))
                    .route(hasBody(), saying("anyone"))
                    .build();
            Message toServer = Message.builder().from(romeo.jid()).to("example.com").body("hi").build();

            assertThat(runAll(routes, toServer)).extracting(StanzaRoutesTest::bodyOf).containsExactly("server");
            assertThat(runAll(routes, chat("hi"))).extracting(StanzaRoutesTest::bodyOf).containsExactly("anyone");
        }

        @Test
        void nestedFeaturesCount() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqSet("jabber:iq:roster", "query", (iq, s) -> Mono.just(iq.result()))
                    .nest(toDomain(), server -> server
                            .iqGet(TIME, "time", (iq, s) -> Mono.just(iq.result()))
                            .feature("urn:xmpp:receipts"))
                    .add(StanzaRoutes.route().iqGet("urn:xmpp:blocking", "blocklist", (iq, s) -> Mono.empty())
                            .build())
                    .build();

            assertThat(routes.features()).containsExactly("jabber:iq:roster", "urn:xmpp:blocking",
                    "urn:xmpp:receipts", TIME);
        }
    }

    // ---------------------------------------------------------------------------------------------- filters

    @Nested
    class Filters {

        private final List<String> trace = new ArrayList<>();

        private StanzaFilter tracing(String name) {
            return (stanza, session, next) -> {
                trace.add(name + ">");
                return Flux.from(next.handle(stanza, session)).doOnComplete(() -> trace.add("<" + name));
            };
        }

        @Test
        void theFirstFilterAddedIsOutermostAndFiltersCoverRoutesAddedAfterThem() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .filter(tracing("a"))
                    .route(hasBody(), (stanza, session) -> {
                        trace.add("handler");
                        return Mono.empty();
                    })
                    .filter(tracing("b"))
                    .build();

            runAll(routes, chat("hi"));

            assertThat(trace).containsExactly("a>", "b>", "handler", "<b", "<a");
        }

        @Test
        void outerFiltersWrapNestedOnes() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .nest(hasBody(), inner -> inner
                            .filter(tracing("inner"))
                            .route(hasBody(), (stanza, session) -> {
                                trace.add("handler");
                                return Mono.empty();
                            }))
                    .filter(tracing("outer"))
                    .build();

            runAll(routes, chat("hi"));

            assertThat(trace).containsExactly("outer>", "inner>", "handler", "<inner", "<outer");
        }

        @Test
        void aFilterCanAnswerInsteadOfTheHandler() {
            AtomicInteger calls = new AtomicInteger();
            StanzaRoutes routes = StanzaRoutes.route()
                    .route(hasBody(), (stanza, session) -> {
                        calls.incrementAndGet();
                        return Mono.empty();
                    })
                    .filter((stanza, session, next) -> Mono.error(
                            new StanzaErrorException(Condition.NOT_AUTHORIZED, "no")))
                    .build();

            StepVerifier.create(run(routes, chat("hi")))
                    .expectErrorSatisfies(e -> assertThat(((StanzaErrorException) e).error().condition())
                            .isEqualTo(Condition.NOT_AUTHORIZED))
                    .verify();
            assertThat(calls).hasValue(0);
        }

        @Test
        void aFilterDoesNotMakeARouteMatch() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqGet(TIME, "time", (iq, s) -> Mono.just(iq.result()))
                    .filter(tracing("a"))
                    .build();

            StepVerifier.create(routes.route(chat("hi"), romeo)).verifyComplete();
            assertThat(trace).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------- onError

    @Nested
    class OnError {

        private final Iq request = get(XmlElement.empty(TIME, "time"));

        @Test
        void anErrorOfTheGivenTypeIsAnsweredByItsHandler() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqGet(TIME, "time", (iq, s) -> Mono.error(new java.util.NoSuchElementException("no clock")))
                    .onError(java.util.NoSuchElementException.class, (e, stanza, session) ->
                            Mono.just(((Iq) stanza).error(org.fluxmpp.stanza.StanzaError.of(Condition.ITEM_NOT_FOUND,
                                    e.getMessage()))))
                    .build();

            assertThat(runAll(routes, request)).singleElement().satisfies(reply -> {
                assertThat(reply.error().condition()).isEqualTo(Condition.ITEM_NOT_FOUND);
                assertThat(reply.error().text()).isEqualTo("no clock");
                assertThat(reply.id()).isEqualTo("g1");
            });
        }

        @Test
        void aThrownErrorIsHandledTooAndTheFirstFittingHandlerWins() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqGet(TIME, "time", (iq, s) -> {
                        throw new IllegalArgumentException("thrown");
                    })
                    .onError(IllegalStateException.class, (e, stanza, session) -> Mono.just(chat("state")))
                    .onError(RuntimeException.class, (e, stanza, session) -> Mono.just(chat("runtime")))
                    .onError(IllegalArgumentException.class, (e, stanza, session) -> Mono.just(chat("argument")))
                    .build();

            assertThat(runAll(routes, request)).extracting(StanzaRoutesTest::bodyOf).containsExactly("runtime");
        }

        @Test
        void anErrorNoHandlerTakesGoesOn() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqGet(TIME, "time", (iq, s) -> Mono.error(new StanzaErrorException(Condition.FORBIDDEN, "x")))
                    .onError(IllegalStateException.class, (e, stanza, session) -> Mono.just(chat("state")))
                    .build();

            StepVerifier.create(run(routes, request)).verifyError(StanzaErrorException.class);
        }

        @Test
        void whatTheHandlerEmittedBeforeFailingStays() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .route(hasBody(), (stanza, session) -> Flux.concat(Mono.just(chat("before")),
                            Mono.error(new IllegalStateException("late"))))
                    .onError(IllegalStateException.class, (e, stanza, session) -> Mono.just(chat("after")))
                    .build();

            assertThat(runAll(routes, chat("hi"))).extracting(StanzaRoutesTest::bodyOf)
                    .containsExactly("before", "after");
        }

        @Test
        void errorHandlersSitInsideTheFilters() {
            List<String> seen = new ArrayList<>();
            StanzaRoutes routes = StanzaRoutes.route()
                    .route(hasBody(), (stanza, session) -> Mono.error(new IllegalStateException("x")))
                    .filter((stanza, session, next) -> Flux.from(next.handle(stanza, session))
                            .doOnNext(out -> seen.add(bodyOf(out))))
                    .onError(IllegalStateException.class, (e, stanza, session) -> Mono.just(chat("mapped")))
                    .build();

            runAll(routes, chat("hi"));

            assertThat(seen).containsExactly("mapped");
        }
    }

    // ---------------------------------------------------------------------------------------------- typed

    @Nested
    class Typed {

        @Test
        void thePayloadIsBoundAndTheAnswerBecomesTheResultPayload() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqGet(WeatherQuery.class, (query, iq, session) ->
                            Mono.just(new Forecast(query.city(), 10.0 + query.days())))
                    .build();

            assertThat(routes.features()).containsExactly(WEATHER);
            assertThat(runAll(routes, get(weather("Verona", "3")))).singleElement().satisfies(reply -> {
                Iq result = (Iq) reply;
                assertThat(result.type()).isEqualTo(Iq.Type.RESULT);
                assertThat(result.id()).isEqualTo("g1");
                assertThat(result.to()).isEqualTo(romeo.jid());
                assertThat(result.payload().is(WEATHER, "forecast")).isTrue();
                assertThat(new PayloadBinding().read(result.payload(), Forecast.class))
                        .isEqualTo(new Forecast("Verona", 13.0));
            });
        }

        @Test
        void aPayloadThatDoesNotBindIsBadRequest() {
            AtomicInteger calls = new AtomicInteger();
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqGet(WeatherQuery.class, (query, iq, session) -> {
                        calls.incrementAndGet();
                        return Mono.empty();
                    })
                    .build();

            StepVerifier.create(run(routes, get(weather("Verona", "many"))))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(StanzaErrorException.class,
                            se -> assertThat(se.error().condition()).isEqualTo(Condition.BAD_REQUEST)))
                    .verify();
            assertThat(calls).hasValue(0);
        }

        @Test
        void anEmptyAnswerIsAnEmptyResultAndAnElementIsUsedAsIs() {
            XmlElement ack = XmlElement.empty(WEATHER, "ack");
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqSet(WeatherQuery.class, (query, iq, session) -> Mono.empty())
                    .iqGet(WeatherQuery.class, (query, iq, session) -> Mono.just(ack))
                    .build();

            assertThat(runAll(routes, set(weather("Verona", "1")))).singleElement()
                    .satisfies(r -> assertThat(((Iq) r).payload()).isNull());
            assertThat(runAll(routes, get(weather("Verona", "1")))).singleElement()
                    .satisfies(r -> assertThat(((Iq) r).payload()).isEqualTo(ack));
        }

        @Test
        void anExplicitNameOverridesTheAnnotationAndADedicatedBindingIsUsed() {
            AtomicInteger customized = new AtomicInteger();
            PayloadBinding binding = new PayloadBinding(mapper -> customized.incrementAndGet());
            StanzaRoutes routes = StanzaRoutes.route()
                    .binding(binding)
                    .iqGet("urn:example:other", "city", Unnamed.class,
                            (city, iq, session) -> Mono.just(new Forecast(city.city(), 1.5)))
                    .build();
            XmlElement payload = XmlElement.builder("urn:example:other", "city")
                    .child(XmlElement.builder("urn:example:other", "city").text("Mantua").build()).build();

            assertThat(customized).hasValue(1);
            assertThat(routes.features()).containsExactly("urn:example:other");
            assertThat(runAll(routes, get(payload))).singleElement().satisfies(r ->
                    assertThat(new PayloadBinding().read(((Iq) r).payload(), Forecast.class))
                            .isEqualTo(new Forecast("Mantua", 1.5)));
            assertThat(runAll(routes, get(weather("Verona", "1")))).isEmpty();
        }

        @Test
        void theStaticFactoryMakesAPlainHandler() {
            StanzaHandler<Iq> handler = StanzaRoutes.typed(WeatherQuery.class,
                    (query, iq, session) -> Flux.just(new Forecast(query.city(), 2.0), new Forecast("extra", 3.0)));

            StepVerifier.create(Flux.from(handler.handle(get(weather("Verona", "1")), romeo)))
                    .assertNext(r -> assertThat(((Iq) r).payload().is(WEATHER, "forecast")).isTrue())
                    .verifyComplete();
        }

        @Test
        void theNameComesFromEitherRootAnnotation() {
            assertThat(TypedIqHandler.rootName(WeatherQuery.class)).isEqualTo(new QName(WEATHER, "weather"));
            assertThat(TypedIqHandler.rootName(Forecast.class)).isEqualTo(new QName(WEATHER, "forecast"));
        }

        @Test
        void aTypeWithoutRootNameIsRefusedWhenBuilding() {
            assertThatThrownBy(() -> StanzaRoutes.route().iqGet(Unnamed.class, (u, iq, s) -> Mono.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("@JsonRootName");
        }

        @Test
        void aHandlerErrorIsSignalledAsIs() {
            StanzaRoutes routes = StanzaRoutes.route()
                    .iqGet(WeatherQuery.class, (query, iq, session) -> {
                        throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no such city");
                    })
                    .build();

            StepVerifier.create(run(routes, get(weather("Atlantis", "1"))))
                    .verifyErrorSatisfies(e -> assertThat(((StanzaErrorException) e).error().condition())
                            .isEqualTo(Condition.ITEM_NOT_FOUND));
        }
    }
}
