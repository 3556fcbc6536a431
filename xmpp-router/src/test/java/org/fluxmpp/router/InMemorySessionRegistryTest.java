package org.fluxmpp.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.FullJid;
import org.fluxmpp.session.XmppSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemorySessionRegistryTest {

    private final InMemorySessionRegistry registry = new InMemorySessionRegistry();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void findsAPutSessionByFullJidAndByAccount() {
        RecordingSession balcony = new RecordingSession("juliet@example.com/balcony");
        RecordingSession chamber = new RecordingSession("juliet@example.com/chamber");

        assertThat(registry.put(balcony)).isNull();
        assertThat(registry.put(chamber)).isNull();

        assertThat(registry.find(FullJid.parse("juliet@example.com/balcony"))).isSameAs(balcony);
        assertThat(registry.find(FullJid.parse("juliet@example.com/garden"))).isNull();
        assertThat(registry.resources(BareJid.parse("juliet@example.com"))).containsExactlyInAnyOrder(balcony, chamber);
        assertThat(registry.resources(BareJid.parse("romeo@example.com"))).isEmpty();
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void putDisplacesTheSessionHoldingTheJid() {
        RecordingSession old = new RecordingSession("juliet@example.com/balcony");
        RecordingSession fresh = new RecordingSession("juliet@example.com/balcony");
        registry.put(old);

        assertThat(registry.put(fresh)).isSameAs(old);

        assertThat(registry.find(fresh.jid())).isSameAs(fresh);
        assertThat(registry.resources(fresh.jid().asBareJid())).containsExactly(fresh);
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void puttingTheSameSessionTwiceDisplacesNothing() {
        RecordingSession s = new RecordingSession("juliet@example.com/balcony");
        registry.put(s);

        assertThat(registry.put(s)).isNull();
        assertThat(registry.putIfAbsent(s)).isNull();
        assertThat(registry.resources(s.jid().asBareJid())).containsExactly(s);
    }

    @Test
    void putIfAbsentKeepsTheSessionHoldingTheJid() {
        RecordingSession old = new RecordingSession("juliet@example.com/balcony");
        RecordingSession fresh = new RecordingSession("juliet@example.com/balcony");

        assertThat(registry.putIfAbsent(old)).isNull();
        assertThat(registry.putIfAbsent(fresh)).isSameAs(old);

        assertThat(registry.find(old.jid())).isSameAs(old);
        assertThat(registry.resources(old.jid().asBareJid())).containsExactly(old);
    }

    @Test
    void removeTakesOnlyTheExactRegisteredSession() {
        RecordingSession old = new RecordingSession("juliet@example.com/balcony");
        RecordingSession fresh = new RecordingSession("juliet@example.com/balcony");
        registry.put(old);
        registry.put(fresh);

        assertThat(registry.remove(old)).isFalse();
        assertThat(registry.find(fresh.jid())).isSameAs(fresh);

        assertThat(registry.remove(fresh)).isTrue();
        assertThat(registry.remove(fresh)).isFalse();
        assertThat(registry.find(fresh.jid())).isNull();
        assertThat(registry.resources(fresh.jid().asBareJid())).isEmpty();
        assertThat(registry.size()).isZero();
    }

    @Test
    void resourcesIsAnImmutableSnapshot() {
        RecordingSession balcony = new RecordingSession("juliet@example.com/balcony");
        registry.put(balcony);
        List<XmppSession> snapshot = registry.resources(balcony.jid().asBareJid());

        registry.put(new RecordingSession("juliet@example.com/chamber"));

        assertThat(snapshot).containsExactly(balcony);
        assertThatThrownBy(() -> snapshot.add(balcony)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void concurrentBindsOfDistinctResourcesOfOneAccountAreAllKeptAndAllRemoved() throws Exception {
        int threads = 8;
        int perThread = 500;
        List<List<RecordingSession>> byThread = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<RecordingSession> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(new RecordingSession("juliet@example.com/r" + t + "-" + i));
            }
            byThread.add(mine);
        }

        runTogether(threads, t -> {
            byThread.get(t).forEach(registry::put);
            return null;
        });
        assertThat(registry.size()).isEqualTo(threads * perThread);
        assertThat(registry.resources(BareJid.parse("juliet@example.com"))).hasSize(threads * perThread);

        runTogether(threads, t -> {
            for (RecordingSession s : byThread.get(t)) {
                assertThat(registry.remove(s)).isTrue();
            }
            return null;
        });
        assertThat(registry.size()).isZero();
        assertThat(registry.resources(BareJid.parse("juliet@example.com"))).isEmpty();
    }

    @Test
    void exactlyOnePutIfAbsentWinsARace() throws Exception {
        for (int round = 0; round < 200; round++) {
            InMemorySessionRegistry r = new InMemorySessionRegistry();
            List<RecordingSession> contenders = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                contenders.add(new RecordingSession("juliet@example.com/balcony"));
            }

            List<XmppSession> results = runTogether(8, t -> r.putIfAbsent(contenders.get(t)));

            long winners = results.stream().filter(x -> x == null).count();
            assertThat(winners).isEqualTo(1);
            XmppSession winner = r.find(FullJid.parse("juliet@example.com/balcony"));
            assertThat(results).allMatch(x -> x == null || x == winner);
            assertThat(r.resources(BareJid.parse("juliet@example.com"))).containsExactly(winner);
        }
    }

    @Test
    void bothViewsAgreeAfterConcurrentPutPutIfAbsentAndRemoveOnSharedJids() throws Exception {
        List<FullJid> jids = new ArrayList<>();
        for (String account : List.of("juliet", "romeo", "nurse")) {
            for (String resource : List.of("a", "b", "c")) {
                jids.add(FullJid.parse(account + "@example.com/" + resource));
            }
        }
        int threads = 8;
        List<List<RecordingSession>> created = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            created.add(Collections.synchronizedList(new ArrayList<>()));
        }

        runTogether(threads, t -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<RecordingSession> mine = created.get(t);
            for (int i = 0; i < 20_000; i++) {
                int op = random.nextInt(3);
                if (op < 2 || mine.isEmpty()) {
                    RecordingSession s = new RecordingSession(jids.get(random.nextInt(jids.size())).toString());
                    mine.add(s);
                    if (op == 0) {
                        registry.put(s);
                    } else {
                        registry.putIfAbsent(s);
                    }
                } else {
                    registry.remove(mine.get(random.nextInt(mine.size())));
                }
            }
            return null;
        });

        int total = 0;
        for (String account : List.of("juliet", "romeo", "nurse")) {
            BareJid bare = BareJid.parse(account + "@example.com");
            Set<XmppSession> byFull = Collections.newSetFromMap(new IdentityHashMap<>());
            for (FullJid jid : jids) {
                XmppSession s = registry.find(jid);
                if (s != null && jid.asBareJid().equals(bare)) {
                    assertThat(s.jid()).isEqualTo(jid);
                    byFull.add(s);
                }
            }
            List<XmppSession> resources = registry.resources(bare);
            assertThat(resources).hasSize(byFull.size());
            assertThat(resources).allMatch(byFull::contains);
            total += byFull.size();
        }
        assertThat(registry.size()).isEqualTo(total);

        runTogether(threads, t -> {
            created.get(t).forEach(registry::remove);
            return null;
        });
        assertThat(registry.size()).isZero();
        for (FullJid jid : jids) {
            assertThat(registry.resources(jid.asBareJid())).isEmpty();
        }
    }

    /** Runs the task on {@code threads} threads released together; returns each thread's result, by index. */
    private <T> List<T> runTogether(int threads, IndexedTask<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Callable<T> c = () -> {
                start.await();
                return task.run(index);
            };
            futures.add(pool.submit(c));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    @FunctionalInterface
    private interface IndexedTask<T> {
        T run(int index) throws Exception;
    }
}
