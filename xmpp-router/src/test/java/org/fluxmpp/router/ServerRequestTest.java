package org.fluxmpp.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.fluxmpp.jid.DomainJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.StanzaError;
import org.fluxmpp.stanza.StanzaError.Condition;
import org.fluxmpp.stanza.StanzaErrorException;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** {@link XmppRouter#request}: server-originated IQs and the correlation of their responses. */
class ServerRequestTest {

    private static final String DOMAIN = "example.com";
    private static final XmlElement PING = XmlElement.empty(PingHandler.NAMESPACE, PingHandler.ELEMENT);

    private XmppRouter router = XmppRouter.create().domain(DOMAIN);
    private final RecordingSession juliet = bound("juliet@example.com/balcony");

    private RecordingSession bound(String jid) {
        RecordingSession s = new RecordingSession(jid);
        StepVerifier.create(router.bind(s)).verifyComplete();
        return s;
    }

    private static Iq ping(String to, String id) {
        return Iq.get(PING).to(to).id(id).build();
    }

    /** The request {@code session} received, in order. */
    private static Iq received(RecordingSession session, int index) {
        return (Iq) session.received().get(index);
    }

    private void answer(Iq response, RecordingSession from) {
        StepVerifier.create(router.route(response, from)).verifyComplete();
    }

    private static StanzaError.Condition conditionOf(Throwable e) {
        assertThat(e).isInstanceOf(StanzaErrorException.class);
        return ((StanzaErrorException) e).error().condition();
    }

    @Test
    void aResultCompletesTheRequest() {
        StepVerifier.create(router.request(ping("juliet@example.com/balcony", "s1")))
                .then(() -> {
                    Iq sent = received(juliet, 0);
                    assertThat(sent.from()).isEqualTo(DomainJid.of(DOMAIN));
                    assertThat(sent.id()).isEqualTo("s1");
                    assertThat(router.pendingRequests()).isEqualTo(1);
                    answer(sent.result(), juliet);
                })
                .assertNext(result -> {
                    assertThat(result.type()).isEqualTo(Iq.Type.RESULT);
                    assertThat(result.id()).isEqualTo("s1");
                    assertThat(result.from()).isEqualTo(juliet.jid());
                })
                .verifyComplete();

        assertThat(router.pendingRequests()).isZero();
        assertThat(juliet.received()).hasSize(1);
    }

    @Test
    void aRequestTheSessionAcceptedButNeverWroteFailsWithServiceUnavailable() {
        StepVerifier.create(router.request(ping("juliet@example.com/balcony", "s1")))
                .then(() -> router.undeliverable(received(juliet, 0), juliet))
                .verifyErrorSatisfies(e -> assertThat(conditionOf(e)).isEqualTo(Condition.SERVICE_UNAVAILABLE));

        assertThat(router.pendingRequests()).isZero();
    }

    @Test
    void anErrorResponseSignalsStanzaErrorException() {
        StepVerifier.create(router.request(ping("juliet@example.com/balcony", "s1")))
                .then(() -> answer(received(juliet, 0).error(StanzaError.of(Condition.FEATURE_NOT_IMPLEMENTED)),
                        juliet))
                .verifyErrorSatisfies(e -> assertThat(conditionOf(e)).isEqualTo(Condition.FEATURE_NOT_IMPLEMENTED));

        assertThat(router.pendingRequests()).isZero();
    }

    @Test
    void noResponseTimesOutAfterThirtySecondsByDefault() {
        StepVerifier.withVirtualTime(() -> router.request(ping("juliet@example.com/balcony", "s1")))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(29))
                .thenAwait(Duration.ofSeconds(1))
                .verifyError(TimeoutException.class);

        assertThat(router.pendingRequests()).isZero();
        // A late response is nobody's: routed as any IQ result to the server, that is dropped.
        answer(received(juliet, 0).result(), juliet);
        assertThat(juliet.received()).hasSize(1);
    }

    @Test
    void theTimeoutIsConfigurable() {
        XmppRouter quick = router.requestTimeout(Duration.ofSeconds(5));

        StepVerifier.withVirtualTime(() -> quick.request(ping("juliet@example.com/balcony", "s1")))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(4))
                .thenAwait(Duration.ofSeconds(1))
                .verifyError(TimeoutException.class);
        StepVerifier.withVirtualTime(() -> router.request(ping("juliet@example.com/balcony", "s2"),
                        Duration.ofMillis(10)))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(10))
                .verifyError(TimeoutException.class);

        assertThat(quick.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(router.requestTimeout()).isEqualTo(XmppRouter.DEFAULT_REQUEST_TIMEOUT);
        assertThatThrownBy(() -> router.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aResponseFromSomeoneElseIsNotMatchedAndIsDropped() {
        RecordingSession mercutio = bound("mercutio@example.com/street");

        StepVerifier.create(router.request(ping("juliet@example.com/balcony", "s1")))
                .then(() -> {
                    // Same id, to the server, but from another session (its 'from' is stamped by the transport).
                    Iq forged = received(juliet, 0).result().withFrom(mercutio.jid());
                    answer(forged, mercutio);
                    assertThat(router.pendingRequests()).isEqualTo(1);
                    assertThat(mercutio.received()).isEmpty();
                    answer(received(juliet, 0).result(), juliet);
                })
                .assertNext(result -> assertThat(result.from()).isEqualTo(juliet.jid()))
                .verifyComplete();
    }

    @Test
    void aResponseFromTheBareJidIsNotTheFullJidAsked() {
        StepVerifier.withVirtualTime(() -> router.request(ping("juliet@example.com/balcony", "s1")))
                .expectSubscription()
                .then(() -> answer(received(juliet, 0).result().withFrom(Jid.parse("juliet@example.com")), juliet))
                .thenAwait(XmppRouter.DEFAULT_REQUEST_TIMEOUT)
                .verifyError(TimeoutException.class);
    }

    @Test
    void cancellingForgetsTheRequest() {
        Disposable subscription = router.request(ping("juliet@example.com/balcony", "s1")).subscribe();
        assertThat(router.pendingRequests()).isEqualTo(1);

        subscription.dispose();

        assertThat(router.pendingRequests()).isZero();
        answer(received(juliet, 0).result(), juliet);
        assertThat(juliet.received()).hasSize(1);
    }

    @Test
    void beyondThePendingLimitARequestFailsAtOnce() {
        router = router.maxPendingRequests(2);
        Disposable one = router.request(ping("juliet@example.com/balcony", "s1")).subscribe();
        Disposable two = router.request(ping("juliet@example.com/balcony", "s2")).subscribe();

        StepVerifier.create(router.request(ping("juliet@example.com/balcony", "s3")))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("too many"));
        assertThat(juliet.received()).hasSize(2);

        one.dispose();
        Disposable three = router.request(ping("juliet@example.com/balcony", "s3")).subscribe();
        assertThat(router.pendingRequests()).isEqualTo(2);
        two.dispose();
        three.dispose();
        assertThat(router.pendingRequests()).isZero();
        assertThat(XmppRouter.create().maxPendingRequests()).isEqualTo(XmppRouter.DEFAULT_MAX_PENDING_REQUESTS);
        assertThatThrownBy(() -> router.maxPendingRequests(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameIdToTheSameAddressTwiceIsRefusedWhileTheFirstWaits() {
        Disposable first = router.request(ping("juliet@example.com/balcony", "s1")).subscribe();

        StepVerifier.create(router.request(ping("juliet@example.com/balcony", "s1")))
                .verifyError(IllegalStateException.class);

        first.dispose();
        assertThat(router.pendingRequests()).isZero();
    }

    @Test
    void undeliverableRequestsFailAtOnceAsTheDeliveryRulesSay() {
        StepVerifier.create(router.request(ping("juliet@example.com/gone", "s1")))
                .verifyErrorSatisfies(e -> assertThat(conditionOf(e)).isEqualTo(Condition.SERVICE_UNAVAILABLE));
        StepVerifier.create(router.request(ping("juliet@example.com", "s2")))
                .verifyErrorSatisfies(e -> assertThat(conditionOf(e)).isEqualTo(Condition.SERVICE_UNAVAILABLE));
        StepVerifier.create(router.request(ping("mercutio@example.net/street", "s3")))
                .verifyErrorSatisfies(e -> assertThat(conditionOf(e))
                        .isEqualTo(Condition.REMOTE_SERVER_NOT_FOUND));
        juliet.accepting(false);
        StepVerifier.create(router.request(ping("juliet@example.com/balcony", "s4")))
                .verifyErrorSatisfies(e -> assertThat(conditionOf(e)).isEqualTo(Condition.SERVICE_UNAVAILABLE));

        assertThat(router.pendingRequests()).isZero();
    }

    @Test
    void badRequestsAreRefusedWithoutSendingAnything() {
        Iq result = Iq.get(PING).from(Jid.parse("juliet@example.com/balcony")).to(DOMAIN).id("r1").build()
                .result();

        StepVerifier.create(router.request(result)).verifyError(IllegalArgumentException.class);
        StepVerifier.create(router.request(Iq.get(PING).id("s1").build())).verifyError(IllegalArgumentException.class);
        StepVerifier.create(router.request(ping(DOMAIN, "s2"))).verifyError(IllegalArgumentException.class);
        StepVerifier.create(router.request(ping("juliet@example.com/balcony", "s3")
                        .withFrom(Jid.parse("romeo@example.com/orchard"))))
                .verifyError(IllegalArgumentException.class);
        StepVerifier.create(XmppRouter.create().request(ping("juliet@example.com/balcony", "s4")))
                .verifyError(IllegalStateException.class);

        assertThat(juliet.received()).isEmpty();
        assertThat(router.pendingRequests()).isZero();
    }

    @Test
    void nothingIsSentBeforeSubscription() {
        router.request(ping("juliet@example.com/balcony", "s1"));

        assertThat(juliet.received()).isEmpty();
    }

    @Test
    void copiesOfARouterShareThePendingRequests() {
        XmppRouter configured = router.requestTimeout(Duration.ofSeconds(5)).route(Routes.ping());

        StepVerifier.create(configured.request(ping("juliet@example.com/balcony", "s1")))
                .then(() -> answer(received(juliet, 0).result(), juliet))
                .expectNextCount(1)
                .verifyComplete();
    }

    @Test
    void aGivenServerFromIsKept() {
        router = router.domain("example.org");
        Iq iq = ping("juliet@example.com/balcony", "s1").withFrom(Jid.parse("example.org"));

        Disposable pending = router.request(iq).subscribe();

        assertThat(received(juliet, 0).from()).isEqualTo(DomainJid.of("example.org"));
        pending.dispose();
    }
}
