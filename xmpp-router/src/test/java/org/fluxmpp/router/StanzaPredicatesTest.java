package org.fluxmpp.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fluxmpp.router.StanzaPredicates.all;
import static org.fluxmpp.router.StanzaPredicates.from;
import static org.fluxmpp.router.StanzaPredicates.hasBody;
import static org.fluxmpp.router.StanzaPredicates.hasExtension;
import static org.fluxmpp.router.StanzaPredicates.iq;
import static org.fluxmpp.router.StanzaPredicates.iqGet;
import static org.fluxmpp.router.StanzaPredicates.iqSet;
import static org.fluxmpp.router.StanzaPredicates.message;
import static org.fluxmpp.router.StanzaPredicates.messageType;
import static org.fluxmpp.router.StanzaPredicates.payload;
import static org.fluxmpp.router.StanzaPredicates.presence;
import static org.fluxmpp.router.StanzaPredicates.to;
import static org.fluxmpp.router.StanzaPredicates.toDomain;

import java.util.concurrent.atomic.AtomicInteger;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.stanza.Iq;
import org.fluxmpp.stanza.Message;
import org.fluxmpp.stanza.Presence;
import org.fluxmpp.stanza.Stanza;
import org.fluxmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;

class StanzaPredicatesTest {

    private static final String NS = "urn:example:weather";
    private static final XmlElement QUERY = XmlElement.empty(NS, "query");
    private static final XmlElement RECEIPT = XmlElement.empty("urn:xmpp:receipts", "request");

    private final RecordingSession romeo = new RecordingSession("romeo@example.com/orchard");

    private final Iq get = Iq.get(QUERY).from(romeo.jid()).to("example.com").id("g1").build();
    private final Iq set = Iq.set(QUERY).from(romeo.jid()).to("example.com").id("s1").build();
    private final Iq result = get.result(QUERY);
    private final Message chat = Message.builder().from(romeo.jid()).to("juliet@example.com").type(Message.Type.CHAT)
            .body("hi").child(RECEIPT).build();
    private final Message noBody = Message.builder().from(romeo.jid()).to("juliet@example.com/balcony").build();
    private final Presence available = Presence.builder().from(romeo.jid()).build();

    private boolean test(StanzaPredicate p, Stanza s) {
        return p.test(s, romeo);
    }

    @Test
    void kindsMatchTheirStanzasOnly() {
        assertThat(test(message(), chat)).isTrue();
        assertThat(test(message(), get)).isFalse();
        assertThat(test(presence(), available)).isTrue();
        assertThat(test(presence(), chat)).isFalse();
        assertThat(test(iq(), result)).isTrue();
        assertThat(test(iq(), available)).isFalse();
        assertThat(test(all(), available)).isTrue();
    }

    @Test
    void iqTypesAndPayloadNames() {
        assertThat(test(iq(Iq.Type.GET), get)).isTrue();
        assertThat(test(iq(Iq.Type.GET), set)).isFalse();
        assertThat(test(iqGet(NS, "query"), get)).isTrue();
        assertThat(test(iqGet(NS, "query"), set)).isFalse();
        assertThat(test(iqGet(NS, "other"), get)).isFalse();
        assertThat(test(iqGet("urn:example:other", "query"), get)).isFalse();
        assertThat(test(iqSet(NS, "query"), set)).isTrue();
        assertThat(test(iqSet(NS, "query"), get)).isFalse();
        // payload(...) looks at any type, a result's child too; never at a message's children.
        assertThat(test(payload(NS, "query"), result)).isTrue();
        assertThat(test(payload(NS, "query"), get.result())).isFalse();
        assertThat(test(payload("urn:xmpp:receipts", "request"), chat)).isFalse();
    }

    @Test
    void hasExtensionLooksAtTheChildrenOfAnyStanza() {
        assertThat(test(hasExtension("urn:xmpp:receipts", "request"), chat)).isTrue();
        assertThat(test(hasExtension("urn:xmpp:receipts", "request"), noBody)).isFalse();
        assertThat(test(hasExtension(NS, "query"), get)).isTrue();
        assertThat(test(hasExtension("jabber:client", "body"), chat)).isTrue();
    }

    @Test
    void addressesMatchExactly() {
        assertThat(test(to(Jid.parse("juliet@example.com")), chat)).isTrue();
        assertThat(test(to(Jid.parse("juliet@example.com")), noBody)).isFalse();
        assertThat(test(to(Jid.parse("juliet@example.com/balcony")), noBody)).isTrue();
        assertThat(test(from(romeo.jid()), chat)).isTrue();
        assertThat(test(from(romeo.jid().asBareJid()), chat)).isFalse();
        assertThat(test(to(Jid.parse("example.com")), available)).isFalse();
    }

    @Test
    void toDomainIsNoToOrADomainWithOrWithoutResource() {
        assertThat(test(toDomain(), get)).isTrue();
        assertThat(test(toDomain(), available)).isTrue();
        assertThat(test(toDomain(), get.withTo(Jid.parse("example.com/admin")))).isTrue();
        assertThat(test(toDomain(), chat)).isFalse();
        assertThat(test(toDomain(), noBody)).isFalse();
    }

    @Test
    void aMalformedAddressMatchesNothingAndThrowsNothing() {
        Stanza bad = Stanza.of(XmlElement.builder(Stanza.CLIENT_NAMESPACE, "message")
                .attribute("to", "@example.com").attribute("from", "@nowhere").build());

        assertThat(test(toDomain(), bad)).isFalse();
        assertThat(test(to(Jid.parse("example.com")), bad)).isFalse();
        assertThat(test(from(romeo.jid()), bad)).isFalse();
    }

    @Test
    void messageTypeAndBody() {
        assertThat(test(messageType(Message.Type.CHAT), chat)).isTrue();
        assertThat(test(messageType(Message.Type.NORMAL), chat)).isFalse();
        assertThat(test(messageType(Message.Type.NORMAL), noBody)).isTrue();
        assertThat(test(messageType(Message.Type.CHAT), get)).isFalse();
        assertThat(test(hasBody(), chat)).isTrue();
        assertThat(test(hasBody(), noBody)).isFalse();
        assertThat(test(hasBody(), get)).isFalse();
    }

    @Test
    void andOrNegateCompose() {
        StanzaPredicate chatWithBody = messageType(Message.Type.CHAT).and(hasBody());
        StanzaPredicate iqOrPresence = iq().or(presence());

        assertThat(test(chatWithBody, chat)).isTrue();
        assertThat(test(chatWithBody, noBody)).isFalse();
        assertThat(test(iqOrPresence, get)).isTrue();
        assertThat(test(iqOrPresence, available)).isTrue();
        assertThat(test(iqOrPresence, chat)).isFalse();
        assertThat(test(message().negate(), chat)).isFalse();
        assertThat(test(message().negate(), get)).isTrue();
        assertThat(test(iqOrPresence.negate().and(hasBody()), chat)).isTrue();
    }

    @Test
    void andAndOrShortCircuit() {
        AtomicInteger calls = new AtomicInteger();
        StanzaPredicate counting = (s, session) -> calls.incrementAndGet() > 0;

        test(presence().and(counting), chat);
        test(message().or(counting), chat);

        assertThat(calls).hasValue(0);
        assertThat(test(message().and(counting), chat)).isTrue();
        assertThat(calls).hasValue(1);
    }

    @Test
    void nullArgumentsAreRefusedWhenBuilding() {
        assertThatThrownBy(() -> message().and(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> message().or(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> iqGet(null, "query")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> to(null)).isInstanceOf(NullPointerException.class);
    }
}
