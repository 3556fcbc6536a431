package org.fluxmpp.testing;

import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jspecify.annotations.Nullable;
import org.jxmpp.jid.impl.JidCreate;

/** One chat message between two Smack clients, as the interop tests exchange them. */
public final class SmackChat {

    /** How long the receiver waits: {@value} ms. */
    public static final long TIMEOUT_MILLIS = 10_000;

    private SmackChat() {
    }

    /**
     * Sends {@code body} from {@code from} to {@code address} and returns the first message {@code to} receives
     * (the caller checks it is that one), or {@code null} when none came within {@value #TIMEOUT_MILLIS} ms.
     */
    public static @Nullable Message send(XMPPConnection from, XMPPConnection to, String address, String body)
            throws Exception {
        try (StanzaCollector received = to.createStanzaCollector(StanzaTypeFilter.MESSAGE)) {
            from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.from(address)).setBody(body)
                    .build());
            return received.nextResult(TIMEOUT_MILLIS);
        }
    }
}
