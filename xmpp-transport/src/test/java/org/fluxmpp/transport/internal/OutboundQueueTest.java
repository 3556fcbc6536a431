package org.fluxmpp.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.test.StepVerifier;

/** The session's outbound queue: many producers, one subscriber that requests as the socket drains. */
class OutboundQueueTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What the queues hand back: accepted stanzas that left without being written. */
    private final Queue<Object> undelivered = new ConcurrentLinkedQueue<>();

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new OutboundQueue(0, undelivered::add)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboundQueue(-1, undelivered::add)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deliversInOrderOnlyAsRequested() {
        OutboundQueue queue = new OutboundQueue(10, undelivered::add);
        queue.offer("a");
        queue.offerControl("b");
        queue.offer("c");
        queue.offer("d");

        StepVerifier.create(queue, 0)
                .expectSubscription()
                .then(() -> assertThat(queue.size()).isEqualTo(3))
                .thenRequest(1)
                .expectNext("a")
                .then(() -> assertThat(queue.size()).as("c and d still wait").isEqualTo(2))
                .thenRequest(2)
                .expectNext("b", "c")
                .then(() -> assertThat(queue.size()).isEqualTo(1))
                .thenRequest(5)
                .expectNext("d")
                .then(() -> queue.offer("e"))
                .expectNext("e")
                .then(() -> queue.offerControl("f"))
                .expectNext("f")
                .then(() -> assertThat(queue.size()).isZero())
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void nothingIsDeliveredWithoutDemand() {
        OutboundQueue queue = new OutboundQueue(10, undelivered::add);
        Recorder recorder = new Recorder();
        queue.subscribe(recorder);

        queue.offer("a");
        queue.offerControl("b");

        assertThat(recorder.items).isEmpty();
        recorder.subscription.request(1);
        assertThat(recorder.items).containsExactly("a");
        recorder.subscription.request(1);
        assertThat(recorder.items).containsExactly("a", "b");
        recorder.subscription.request(1);
        queue.offer("c");
        assertThat(recorder.items).containsExactly("a", "b", "c");
        assertThat(recorder.completed).isFalse();
    }

    @Test
    void capacityCountsStanzasOnly() {
        OutboundQueue queue = new OutboundQueue(2, undelivered::add);

        assertThat(queue.offer("s1")).isTrue();
        assertThat(queue.offerControl("c1")).isTrue();
        assertThat(queue.offer("s2")).isTrue();
        assertThat(queue.offer("s3")).as("beyond capacity").isFalse();
        assertThat(queue.offerControl("c2")).as("control items ignore capacity").isTrue();
        assertThat(queue.offerControl("c3")).isTrue();
        assertThat(queue.size()).isEqualTo(2);

        StepVerifier.create(queue, 1)
                .expectNext("s1")
                .then(() -> assertThat(queue.size()).isEqualTo(1))
                .then(() -> assertThat(queue.offer("s4")).as("room again after one left").isTrue())
                .then(() -> assertThat(queue.offer("s5")).isFalse())
                .thenRequest(Long.MAX_VALUE)
                .expectNext("c1", "s2", "c2", "c3", "s4")
                .then(() -> assertThat(queue.size()).isZero())
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void clearStanzasKeepsControlItemsAndFixesTheCount() {
        OutboundQueue queue = new OutboundQueue(3, undelivered::add);
        queue.offerControl("c1");
        queue.offer("s1");
        queue.offerControl("c2");
        queue.offer("s2");
        queue.offer("s3");
        assertThat(queue.offer("s4")).isFalse();

        queue.clearStanzas();

        assertThat(undelivered).as("cleared stanzas are handed back, control items are not")
                .containsExactly("s1", "s2", "s3");
        assertThat(queue.size()).isZero();
        assertThat(queue.offer("t1")).isTrue();
        assertThat(queue.offer("t2")).isTrue();
        assertThat(queue.offer("t3")).isTrue();
        assertThat(queue.offer("t4")).as("capacity is 3 again, not 3 + the cleared").isFalse();
        StepVerifier.create(queue)
                .expectNext("c1", "c2", "t1", "t2", "t3")
                .then(() -> assertThat(queue.size()).isZero())
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void completeCompletesOnlyAfterTheQueuedItemsAreDrained() {
        OutboundQueue queue = new OutboundQueue(10, undelivered::add);
        queue.offer("a");
        queue.offerControl("b");

        queue.complete();

        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.offer("late")).isFalse();
        assertThat(queue.offerControl("late")).isFalse();
        StepVerifier.create(queue, 0)
                .expectSubscription()
                .thenRequest(1)
                .expectNext("a")
                .thenRequest(1)
                .expectNext("b")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void completeOfAnEmptyQueueCompletesWithoutDemand() {
        OutboundQueue queue = new OutboundQueue(10, undelivered::add);
        Recorder recorder = new Recorder();
        queue.subscribe(recorder);
        assertThat(queue.isClosed()).isFalse();

        queue.complete();

        assertThat(recorder.completed).isTrue();
        assertThat(queue.offer("late")).isFalse();
    }

    @Test
    void cancelClearsTheQueue() {
        OutboundQueue queue = new OutboundQueue(10, undelivered::add);
        queue.offer("a");
        queue.offer("b");
        queue.offerControl("c");
        Recorder recorder = new Recorder();
        queue.subscribe(recorder);

        recorder.subscription.cancel();

        assertThat(undelivered).as("accepted but never written: handed back").containsExactly("a", "b");
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.size()).isZero();
        assertThat(queue.offer("d")).isFalse();
        assertThat(queue.offerControl("e")).isFalse();
        recorder.subscription.request(10);
        assertThat(recorder.items).isEmpty();
        assertThat(recorder.completed).isFalse();
    }

    @Test
    void cancelAfterSomeDemandStopsDelivery() {
        OutboundQueue queue = new OutboundQueue(10, undelivered::add);
        queue.offer("a");
        queue.offer("b");

        StepVerifier.create(queue, 1)
                .expectNext("a")
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(undelivered).containsExactly("b");
        assertThat(queue.size()).isZero();
        assertThat(queue.offer("c")).isFalse();
    }

    @Test
    void secondSubscriberGetsAnError() {
        OutboundQueue queue = new OutboundQueue(10, undelivered::add);
        queue.subscribe(new Recorder());

        StepVerifier.create(queue)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("one subscriber"))
                .verify(TIMEOUT);
    }

    @Test
    void concurrentProducersAndASlowRequesterDeliverEveryAcceptedItemExactlyOnce() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        OutboundQueue queue = new OutboundQueue(64, undelivered::add);
        Recorder recorder = new Recorder();
        queue.subscribe(recorder);
        AtomicInteger[] accepted = new AtomicInteger[producers];
        List<List<Integer>> acceptedItems = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            accepted[p] = new AtomicInteger();
            List<Integer> mine = new ArrayList<>();
            acceptedItems.add(mine);
            threads.add(new Thread(() -> {
                await(start);
                for (int i = 0; i < perProducer; i++) {
                    Item item = new Item(producer, i);
                    boolean ok = (i % 10 == 0) ? queue.offerControl(item) : queue.offer(item);
                    if (ok) {
                        mine.add(i);
                        accepted[producer].incrementAndGet();
                    }
                }
            }, "producer-" + p));
        }
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread requester = new Thread(() -> {
            // Requests a little at a time, as a socket that drains slowly would.
            while (!recorder.completed) {
                recorder.subscription.request(1 + (recorder.count.get() % 7));
                LockSupport.parkNanos(producing.get() ? 20_000 : 1_000);
            }
        }, "requester");
        threads.forEach(Thread::start);
        requester.start();
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).isFalse();
        }
        producing.set(false);
        queue.complete();
        requester.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(requester.isAlive()).isFalse();

        assertThat(recorder.completed).isTrue();
        assertThat(recorder.error.get()).isNull();
        Map<Integer, List<Integer>> delivered = new HashMap<>();
        for (Object o : recorder.items) {
            Item item = (Item) o;
            delivered.computeIfAbsent(item.producer, k -> new ArrayList<>()).add(item.index);
        }
        int total = 0;
        for (int p = 0; p < producers; p++) {
            // Exactly the accepted items, each once, in each producer's order.
            assertThat(delivered.getOrDefault(p, List.of())).as("producer %d", p).isEqualTo(acceptedItems.get(p));
            total += accepted[p].get();
        }
        assertThat(recorder.items).hasSize(total);
        assertThat(total).as("some offers must have been refused for the test to mean anything")
                .isLessThan(producers * perProducer);
        assertThat(queue.size()).isZero();
    }

    @Test
    void offersRacingCompleteAreEitherRefusedOrDelivered() throws Exception {
        for (int round = 0; round < 300; round++) {
            OutboundQueue queue = new OutboundQueue(1_000_000, undelivered::add);
            Recorder recorder = new Recorder();
            queue.subscribe(recorder);
            recorder.subscription.request(Long.MAX_VALUE);
            AtomicInteger accepted = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                int producer = p;
                threads.add(new Thread(() -> {
                    await(start);
                    for (int i = 0; i < 2_000; i++) {
                        if (queue.offer(new Item(producer, i))) {
                            accepted.incrementAndGet();
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            start.countDown();
            // Let the producers get going, then close the queue under them.
            while (accepted.get() < 10) {
                Thread.onSpinWait();
            }
            queue.complete();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }

            assertThat(recorder.completed).as("round %d", round).isTrue();
            assertThat(recorder.items).as("round %d: accepted means delivered", round).hasSize(accepted.get());
        }
    }

    @Test
    void clearStanzasRacingTheWriterCountsEveryStanzaOnce() throws Exception {
        int capacity = 32;
        for (int round = 0; round < 50; round++) {
            OutboundQueue queue = new OutboundQueue(capacity, undelivered::add);
            Recorder recorder = new Recorder();
            queue.subscribe(recorder);
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger accepted = new AtomicInteger();
            Thread producer = new Thread(() -> {
                await(start);
                for (int i = 0; i < 5_000; i++) {
                    if (queue.offer(i)) {
                        accepted.incrementAndGet();
                    } else {
                        queue.clearStanzas();  // what the connection does on overflow
                    }
                }
                running.set(false);
            });
            Thread writer = new Thread(() -> {
                await(start);
                while (running.get()) {
                    recorder.subscription.request(3);
                    Thread.onSpinWait();
                }
            });
            producer.start();
            writer.start();
            start.countDown();
            producer.join(TimeUnit.SECONDS.toMillis(30));
            writer.join(TimeUnit.SECONDS.toMillis(30));
            queue.clearStanzas();

            // A stanza both polled by the writer and removed by the clear would be counted out twice (negative).
            assertThat(queue.size()).as("round %d", round).isZero();
            assertThat(recorder.count.get() + undelivered.size()).as("round %d: written or handed back, once", round)
                    .isEqualTo(accepted.get());
            undelivered.clear();
            recorder.subscription.cancel();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Item(int producer, int index) {
    }

    /** A subscriber that records what it gets and leaves demand to the test. */
    private static final class Recorder implements Subscriber<Object> {
        final Queue<Object> items = new ConcurrentLinkedQueue<>();
        final AtomicInteger count = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        volatile Subscription subscription;
        volatile boolean completed;

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Object item) {
            items.add(item);
            count.incrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }
}
