package org.fluxmpp.transport.internal.client;

import java.util.List;
import org.fluxmpp.transport.SaslFailureException;
import org.fluxmpp.transport.SaslMechanism;
import org.fluxmpp.transport.internal.sasl.ChannelBinding;
import org.jspecify.annotations.Nullable;

/**
 * The SASL mechanism a client uses: the strongest that both sides offer (RFC 6120 6.3.3 leaves the order to the
 * client; ours is {@link SaslMechanism}'s, strongest first), with channel binding where both can.
 *
 * @param mechanism   the mechanism
 * @param bindingType the channel-binding type of a -PLUS mechanism, else {@code null}
 * @param couldBind   for a mechanism without binding: whether to send SCRAM's {@code y} flag (the client could bind
 *                    but the server offered no -PLUS), so that a server that did offer it sees the downgrade
 */
record MechanismChoice(SaslMechanism mechanism, @Nullable String bindingType, boolean couldBind) {

    /**
     * Chooses.
     *
     * @param allowed        the mechanisms the client may use
     * @param offered        the names the server offered
     * @param secure         whether the stream is under TLS (PLAIN and -PLUS need it)
     * @param channel        the bindings this client can compute on this TLS channel, best first
     * @param serverBindings the binding types the server advertised (XEP-0440); empty when it did not
     * @throws SaslFailureException when nothing fits, or when the server advertises channel binding the client can
     *                              do but offers no -PLUS mechanism (XEP-0440 section 4: a downgrade)
     */
    static MechanismChoice choose(List<SaslMechanism> allowed, List<String> offered, boolean secure,
                                  ChannelBinding channel, List<String> serverBindings) {
        String type = null;
        for (String t : channel.types()) {
            if (serverBindings.contains(t)) {
                type = t;
                break;
            }
        }
        boolean serverOffersPlus = offered.stream().anyMatch(n -> n.endsWith("-PLUS"));
        if (type != null && !serverOffersPlus) {
            throw new SaslFailureException(null, "the server advertises channel binding (" + serverBindings
                    + ") but offers no -PLUS mechanism: refusing a downgrade");
        }
        boolean couldBind = secure && channel.available() && !serverOffersPlus;
        for (SaslMechanism m : SaslMechanism.values()) {
            if (!allowed.contains(m) || !offered.contains(m.mechanismName())) {
                continue;
            }
            if (m.channelBinding()) {
                if (secure && type != null) {
                    return new MechanismChoice(m, type, false);
                }
                continue;
            }
            if (m.needsTls() && !secure) {
                continue;
            }
            return new MechanismChoice(m, null, couldBind);
        }
        throw new SaslFailureException(null, "no SASL mechanism in common: the server offers " + offered
                + ", the client allows " + allowed + (secure ? "" : " without TLS"));
    }
}
