package org.fluxmpp.router;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.session.XmppSession;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionRegistry} held in this JVM: the default of {@link XmppRouter}.
 *
 * <p>Two maps: full JID to session, for delivery to a resource (a lock-free read), and bare JID to an immutable list
 * of sessions, for delivery to an account (a lock-free read of a snapshot). Every change for an account runs inside
 * one {@link ConcurrentHashMap#compute} on the account's entry, so changes to one account are serialised and both
 * maps agree once a call returns; changes to different accounts do not contend.
 *
 * <pre>{@code
 * XmppRouter router = XmppRouter.create().domain("example.com").registry(new InMemorySessionRegistry());
 * }</pre>
 *
 * <p>No method signals an error. A reader running concurrently with a change to the same account may see the new
 * session in one map a moment before the other.
 */
public final class InMemorySessionRegistry implements SessionRegistry {

    private final ConcurrentHashMap<FullJid, XmppSession> byFullJid = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<BareJid, List<XmppSession>> byAccount = new ConcurrentHashMap<>();

    /** An empty registry. */
    public InMemorySessionRegistry() {
    }

    @Override
    public @Nullable XmppSession find(FullJid jid) {
        return byFullJid.get(jid);
    }

    @Override
    public List<XmppSession> resources(BareJid jid) {
        List<XmppSession> sessions = byAccount.get(jid);
        return sessions == null ? List.of() : sessions;
    }

    @Override
    public @Nullable XmppSession put(XmppSession session) {
        FullJid jid = session.jid();
        XmppSession[] displaced = new XmppSession[1];
        byAccount.compute(jid.asBareJid(), (account, sessions) -> {
            XmppSession old = byFullJid.put(jid, session);
            if (old == session) {
                return sessions;
            }
            displaced[0] = old;
            return with(without(sessions, old), session);
        });
        return displaced[0];
    }

    @Override
    public @Nullable XmppSession putIfAbsent(XmppSession session) {
        FullJid jid = session.jid();
        XmppSession[] existing = new XmppSession[1];
        byAccount.compute(jid.asBareJid(), (account, sessions) -> {
            XmppSession holder = byFullJid.putIfAbsent(jid, session);
            if (holder != null) {
                existing[0] = holder == session ? null : holder;
                return sessions;
            }
            return with(sessions, session);
        });
        return existing[0];
    }

    @Override
    public boolean remove(XmppSession session) {
        FullJid jid = session.jid();
        boolean[] removed = new boolean[1];
        byAccount.computeIfPresent(jid.asBareJid(), (account, sessions) -> {
            if (!byFullJid.remove(jid, session)) {
                return sessions;
            }
            removed[0] = true;
            return without(sessions, session);
        });
        return removed[0];
    }

    @Override
    public int size() {
        return byFullJid.size();
    }

    private static List<XmppSession> with(@Nullable List<XmppSession> sessions, XmppSession added) {
        if (sessions == null || sessions.isEmpty()) {
            return List.of(added);
        }
        XmppSession[] copy = sessions.toArray(new XmppSession[sessions.size() + 1]);
        copy[copy.length - 1] = added;
        return List.of(copy);
    }

    // Returns null for an empty result, which makes compute() drop the account's entry.
    private static @Nullable List<XmppSession> without(@Nullable List<XmppSession> sessions,
                                                       @Nullable XmppSession removed) {
        if (sessions == null || removed == null) {
            return sessions;
        }
        int n = sessions.size();
        XmppSession[] kept = new XmppSession[n];
        int k = 0;
        for (XmppSession s : sessions) {
            if (s != removed) {
                kept[k++] = s;
            }
        }
        if (k == n) {
            return sessions;
        }
        return k == 0 ? null : List.of(Arrays.copyOf(kept, k));
    }
}
