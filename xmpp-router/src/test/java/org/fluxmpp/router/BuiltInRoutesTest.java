package org.fluxmpp.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fluxmpp.jid.DomainJid;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.stanza.StanzaError.Condition;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The routes every {@link XmppRouter} has: ping, disco#info, disco#items, version; and user routes before them. */
class BuiltInRoutesTest {

    private static final String DOMAIN = "example.com";
    private static final XmlElement DISCO_INFO = XmlElement.empty(DiscoInfoHandler.NAMESPACE, "query");
    private static final XmlElement DISCO_ITEMS = XmlElement.empty(DiscoItemsHandler.NAMESPACE, "query");
    private static final XmlElement VERSION = XmlElement.empty(VersionHandler.NAMESPACE, "query");
    private static final XmlElement PING = XmlElement.empty(PingHandler.NAMESPACE, PingHandler.ELEMENT);

    private XmppRouter router = XmppRouter.create().domain(DOMAIN);
    private final RecordingSession romeo = new RecordingSession("romeo@example.com/orchard");

    private Iq ask(XmlElement payload, String to) {
        Iq.Builder b = Iq.get(payload).from(romeo.jid()).id("q1");
        Iq iq = (to == null ? b : b.to(to)).build();
        StepVerifier.create(router.route(iq, romeo)).verifyComplete();
        assertThat(romeo.received()).hasSize(1);
        return (Iq) romeo.received().get(0);
    }

    private static List<String> features(Iq result) {
        return result.payload().children().stream().filter(c -> c.localName().equals("feature"))
                .map(c -> c.attribute("var")).toList();
    }

    @Test
    void discoInfoListsTheServerIdentityAndTheBuiltInFeatures() {
        Iq result = ask(DISCO_INFO, DOMAIN);

        assertThat(result.type()).isEqualTo(Iq.Type.RESULT);
        assertThat(result.from()).isEqualTo(DomainJid.of(DOMAIN));
        XmlElement query = result.payload();
        assertThat(query.is(DiscoInfoHandler.NAMESPACE, "query")).isTrue();
        XmlElement identity = query.child(DiscoInfoHandler.NAMESPACE, "identity");
        assertThat(identity.attribute("category")).isEqualTo("server");
        assertThat(identity.attribute("type")).isEqualTo("im");
        assertThat(features(result)).containsExactly(DiscoInfoHandler.NAMESPACE, DiscoItemsHandler.NAMESPACE,
                VersionHandler.NAMESPACE, PingHandler.NAMESPACE);
    }

    @Test
    void discoInfoFeaturesAreComputedFromTheRegisteredRoutes() {
        router = router
                .routes(StanzaRoutes.route()
                        .iqGet("urn:xmpp:time", "time", (iq, s) -> Mono.just(iq.result()))
                        .iqSet("jabber:iq:roster", "query", (iq, s) -> Mono.just(iq.result()))
                        .message((m, s) -> Mono.empty())
                        .build())
                .route(Routes.iq(Iq.Type.GET, "urn:xmpp:blocking", "blocklist", (iq, s) -> Mono.empty()))
                .route((stanza, session) -> Mono.empty());

        assertThat(features(ask(DISCO_INFO, null))).containsExactly(DiscoInfoHandler.NAMESPACE,
                DiscoItemsHandler.NAMESPACE, "jabber:iq:roster", VersionHandler.NAMESPACE, "urn:xmpp:blocking",
                PingHandler.NAMESPACE, "urn:xmpp:time");
    }

    @Test
    void discoInfoForANodeIsItemNotFound() {
        XmlElement nodeQuery = DISCO_INFO.toBuilder().attribute("node", "http://example.com#caps").build();

        Iq reply = ask(nodeQuery, DOMAIN);

        assertThat(reply.error().condition()).isEqualTo(Condition.ITEM_NOT_FOUND);
    }

    @Test
    void discoItemsIsAnEmptyList() {
        Iq result = ask(DISCO_ITEMS, DOMAIN);

        assertThat(result.type()).isEqualTo(Iq.Type.RESULT);
        assertThat(result.payload()).isEqualTo(DISCO_ITEMS);
    }

    @Test
    void versionAnswersFluxmppWithAVersionAndNoOs() {
        Iq result = ask(VERSION, DOMAIN);

        XmlElement query = result.payload();
        assertThat(query.is(VersionHandler.NAMESPACE, "query")).isTrue();
        assertThat(query.child(VersionHandler.NAMESPACE, "name").text()).isEqualTo("Fluxmpp");
        // Run from classes there is no manifest: "dev".
        assertThat(query.child(VersionHandler.NAMESPACE, "version").text()).isNotBlank();
        assertThat(query.child(VersionHandler.NAMESPACE, "os")).isNull();
        assertThat(new VersionHandler("Capulet", "2.0", "Linux").os()).isEqualTo("Linux");
    }

    @Test
    void pingIsStillAnswered() {
        Iq result = ask(PING, DOMAIN);

        assertThat(result.type()).isEqualTo(Iq.Type.RESULT);
        assertThat(result.payload()).isNull();
    }

    @Test
    void userRoutesReplaceTheBuiltInOnes() {
        XmlElement mine = XmlElement.builder(VersionHandler.NAMESPACE, "query")
                .child(XmlElement.builder(VersionHandler.NAMESPACE, "name").text("Capulet").build()).build();
        router = router.routes(StanzaRoutes.route()
                .iqGet(VersionHandler.NAMESPACE, "query", (iq, s) -> Mono.just(iq.result(mine)))
                .build());

        assertThat(ask(VERSION, DOMAIN).payload()).isEqualTo(mine);
    }

    @Test
    void discoAndVersionAreForTheServerNotForAccounts() {
        RecordingSession juliet = new RecordingSession("juliet@example.com/balcony");
        StepVerifier.create(router.bind(juliet)).verifyComplete();

        Iq reply = ask(VERSION, "juliet@example.com");

        assertThat(reply.error().condition()).isEqualTo(Condition.SERVICE_UNAVAILABLE);
        assertThat(juliet.received()).isEmpty();
    }

    @Test
    void anIqRequestNoRouteTakesIsServiceUnavailable() {
        router = router.routes(StanzaRoutes.route().iqGet("urn:xmpp:time", "time", (iq, s) -> Mono.empty()).build());

        Iq reply = ask(XmlElement.empty("urn:example:unknown", "query"), DOMAIN);

        assertThat(reply.error().condition()).isEqualTo(Condition.SERVICE_UNAVAILABLE);
        assertThat(reply.id()).isEqualTo("q1");
    }

    @Test
    void routesAreAppendedInOrderAndTheFirstMatchWins() {
        XmlElement first = XmlElement.empty("urn:example", "first");
        XmlElement second = XmlElement.empty("urn:example", "second");
        router = router.routes(
                StanzaRoutes.route().iqGet("urn:xmpp:time", "time", (iq, s) -> Mono.just(iq.result(first))).build(),
                StanzaRoutes.route().iqGet("urn:xmpp:time", "time", (iq, s) -> Mono.just(iq.result(second))).build());

        assertThat(router.routes()).hasSize(2);
        Stanza reply = ask(XmlElement.empty("urn:xmpp:time", "time"), DOMAIN);
        assertThat(((Iq) reply).payload()).isEqualTo(first);
    }

    @Test
    void discoInfoFeaturesAreSortedAndAlwaysIncludeDiscoInfo() {
        DiscoInfoHandler handler = new DiscoInfoHandler(List.of("urn:b", "urn:a"));

        assertThat(handler.features()).containsExactly(DiscoInfoHandler.NAMESPACE, "urn:a", "urn:b");
    }
}
