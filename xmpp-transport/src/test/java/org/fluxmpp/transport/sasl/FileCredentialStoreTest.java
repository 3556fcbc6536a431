package org.fluxmpp.transport.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.fluxmpp.jid.BareJid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The embedded file-backed credential store. */
class FileCredentialStoreTest {

    private static final String PASSWORD = "Tr0ub4dor&3-unique";
    private static final BareJid ALICE = BareJid.of("alice", "example.com");
    private static final BareJid BOB = BareJid.of("bob", "example.com");

    private static Credentials aliceCredentials;
    private static Credentials bobCredentials;

    @TempDir
    Path dir;

    @BeforeAll
    static void derive() {
        aliceCredentials = Credentials.fromPassword(PASSWORD);
        bobCredentials = Credentials.fromPassword("another-secret");
    }

    private Path file() {
        return dir.resolve("accounts.txt");
    }

    @Test
    void missingFileIsAnEmptyStore() {
        FileCredentialStore store = FileCredentialStore.open(file());

        assertThat(store.accounts()).isEmpty();
        assertThat(store.file()).isEqualTo(file().toAbsolutePath());
        assertThat(Files.exists(file())).isFalse();
        StepVerifier.create(store.find(ALICE)).verifyComplete();
        StepVerifier.create(store.exists(ALICE)).expectNext(false).verifyComplete();
    }

    @Test
    void putFindRemove() {
        FileCredentialStore store = FileCredentialStore.open(file());

        store.put(BOB, bobCredentials);
        store.put(ALICE, aliceCredentials);

        assertThat(store.accounts()).containsExactly(ALICE, BOB);
        StepVerifier.create(store.find(ALICE)).expectNext(aliceCredentials).verifyComplete();
        StepVerifier.create(store.exists(BOB)).expectNext(true).verifyComplete();

        assertThat(store.remove(ALICE)).isTrue();
        assertThat(store.remove(ALICE)).isFalse();
        StepVerifier.create(store.find(ALICE)).verifyComplete();
        assertThat(store.accounts()).containsExactly(BOB);
    }

    @Test
    void putReplacesAnAccount() {
        FileCredentialStore store = FileCredentialStore.open(file());
        store.put(ALICE, aliceCredentials);

        store.put(ALICE, bobCredentials);

        StepVerifier.create(store.find(ALICE)).expectNext(bobCredentials).verifyComplete();
        StepVerifier.create(FileCredentialStore.open(file()).find(ALICE)).expectNext(bobCredentials)
                .verifyComplete();
    }

    @Test
    void fileHasTheFormatLineAndNeverThePassword() throws Exception {
        FileCredentialStore store = FileCredentialStore.open(file());
        store.put(ALICE, aliceCredentials);

        String text = Files.readString(file(), StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();

        assertThat(lines.get(0)).startsWith("#");
        assertThat(lines.get(1)).isEqualTo("fluxmpp-accounts 1");
        assertThat(lines.subList(2, lines.size())).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("alice@example.com SCRAM-SHA-"));
        assertThat(text).doesNotContain(PASSWORD);
        assertThat(text).doesNotContain(java.util.Base64.getEncoder()
                .encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anotherInstanceOnTheSameFileSeesTheAccounts() {
        FileCredentialStore.open(file()).put(ALICE, aliceCredentials);

        FileCredentialStore other = FileCredentialStore.open(file());

        assertThat(other.accounts()).containsExactly(ALICE);
        StepVerifier.create(other.find(ALICE)).expectNext(aliceCredentials).verifyComplete();
    }

    @Test
    void reloadPicksUpAChangeWrittenByAnotherInstance() {
        FileCredentialStore server = FileCredentialStore.open(file());
        FileCredentialStore tool = FileCredentialStore.open(file());

        tool.put(ALICE, aliceCredentials);
        StepVerifier.create(server.find(ALICE)).verifyComplete();
        server.reload();
        StepVerifier.create(server.find(ALICE)).expectNext(aliceCredentials).verifyComplete();

        tool.put(BOB, bobCredentials);
        tool.remove(ALICE);
        server.reload();
        assertThat(server.accounts()).containsExactly(BOB);

        tool.remove(BOB);
        server.reload();
        assertThat(server.accounts()).isEmpty();
    }

    @Test
    void writeMergesWhatAnotherInstanceWroteMeanwhile() {
        FileCredentialStore one = FileCredentialStore.open(file());
        FileCredentialStore two = FileCredentialStore.open(file());

        one.put(ALICE, aliceCredentials);
        two.put(BOB, bobCredentials);

        assertThat(two.accounts()).containsExactly(ALICE, BOB);
        assertThat(FileCredentialStore.open(file()).accounts()).containsExactly(ALICE, BOB);
    }

    @Test
    void deletedFileReloadsAsEmpty() throws Exception {
        FileCredentialStore store = FileCredentialStore.open(file());
        store.put(ALICE, aliceCredentials);

        Files.delete(file());
        store.reload();

        assertThat(store.accounts()).isEmpty();
    }

    @Test
    void unknownFormatVersionFailsNamingTheFileAndLine() throws Exception {
        Files.writeString(file(), "# comment\nfluxmpp-accounts 2\n");

        assertThatThrownBy(() -> FileCredentialStore.open(file()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file().toAbsolutePath() + ":2:")
                .hasMessageContaining("fluxmpp-accounts 2");
    }

    @Test
    void missingFormatLineFails() throws Exception {
        FileCredentialStore.open(file()).put(ALICE, aliceCredentials);
        List<String> lines = new ArrayList<>(Files.readAllLines(file()));
        lines.remove(1);
        Files.write(file(), lines);

        assertThatThrownBy(() -> FileCredentialStore.open(file()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file().toAbsolutePath() + ":2:");
    }

    @Test
    void corruptLineFailsNamingTheFileAndLine() throws Exception {
        FileCredentialStore.open(file()).put(ALICE, aliceCredentials);
        String good = Files.readString(file());
        String[] corruptions = {
            "bob@example.com SCRAM-SHA-1 4096 AAAA", // too few fields
            "bob@example.com SCRAM-MD5 4096 AAAA AAAA AAAA", // unknown mechanism
            "bob@example.com SCRAM-SHA-1 many AAAA AAAA AAAA", // iterations not a number
            "bob@example.com SCRAM-SHA-1 0 AAAA AAAA AAAA", // iterations not positive
            "bob@example.com SCRAM-SHA-1 4096 A!AA AAAA AAAA", // not Base64
            "bob@@example.com SCRAM-SHA-1 4096 AAAA AAAA AAAA", // not a JID
        };
        int lineNo = (int) good.lines().count() + 1;
        for (String corrupt : corruptions) {
            Files.writeString(file(), good + corrupt + "\n");

            assertThatThrownBy(() -> FileCredentialStore.open(file()))
                    .as(corrupt)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(file().toAbsolutePath() + ":" + lineNo + ":");
        }
    }

    @Test
    void reloadOfACorruptFileKeepsTheAccountsInForce() throws Exception {
        FileCredentialStore store = FileCredentialStore.open(file());
        store.put(ALICE, aliceCredentials);
        Files.writeString(file(), "fluxmpp-accounts 9\n");

        assertThatThrownBy(store::reload).isInstanceOf(UncheckedIOException.class);
        assertThat(store.accounts()).containsExactly(ALICE);
    }

    @Test
    void watchSeesAChangeWrittenByAnotherInstance() {
        FileCredentialStore server = FileCredentialStore.open(file());
        FileCredentialStore tool = FileCredentialStore.open(file());
        Disposable watching = server.watch(Duration.ofMillis(100));
        try {
            tool.put(ALICE, aliceCredentials);
            await(() -> server.accounts().contains(ALICE));

            tool.remove(ALICE);
            await(() -> server.accounts().isEmpty());
        } finally {
            watching.dispose();
        }
        assertThat(watching.isDisposed()).isTrue();
    }

    @Test
    void watchLogsAFailedReadAndKeepsGoing() throws Exception {
        FileCredentialStore server = FileCredentialStore.open(file());
        server.put(ALICE, aliceCredentials);
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(FileCredentialStore.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        logger.addAppender(log);
        Disposable watching = server.watch(Duration.ofMillis(100));
        try {
            Files.writeString(file(), "fluxmpp-accounts 1\nthis line is corrupt\n");
            String expected = "Could not reload " + file().toAbsolutePath();
            await(() -> {
                synchronized (log) {  // the appender appends under its own lock
                    return log.list.stream().anyMatch(e -> e.getFormattedMessage().startsWith(expected));
                }
            });
            assertThat(server.accounts()).containsExactly(ALICE);

            Files.delete(file());
            FileCredentialStore.open(file()).put(BOB, bobCredentials);
            await(() -> server.accounts().equals(List.of(BOB)));
        } finally {
            watching.dispose();
            logger.detachAppender(log);
        }
    }

    @Test
    void concurrentWritersOnTwoInstancesLoseNoUpdate() throws Exception {
        FileCredentialStore one = FileCredentialStore.open(file());
        FileCredentialStore two = FileCredentialStore.open(file());
        int perWriter = 15;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit(() -> {
                start.await();
                for (int i = 0; i < perWriter; i++) {
                    one.put(BareJid.of("a" + i, "example.com"), aliceCredentials);
                }
                return null;
            });
            Future<?> b = pool.submit(() -> {
                start.await();
                for (int i = 0; i < perWriter; i++) {
                    two.put(BareJid.of("b" + i, "example.com"), bobCredentials);
                }
                return null;
            });
            start.countDown();
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        FileCredentialStore fresh = FileCredentialStore.open(file());
        assertThat(fresh.accounts()).hasSize(2 * perWriter);
        for (int i = 0; i < perWriter; i++) {
            StepVerifier.create(fresh.find(BareJid.of("a" + i, "example.com"))).expectNext(aliceCredentials)
                    .verifyComplete();
            StepVerifier.create(fresh.find(BareJid.of("b" + i, "example.com"))).expectNext(bobCredentials)
                    .verifyComplete();
        }
        one.reload();
        two.reload();
        assertThat(one.accounts()).isEqualTo(fresh.accounts());
        assertThat(two.accounts()).isEqualTo(fresh.accounts());
    }

    @Test
    void concurrentWritersOnOneInstanceLoseNoUpdate() throws Exception {
        FileCredentialStore store = FileCredentialStore.open(file());
        int writers = 4;
        int perWriter = 5;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        store.put(BareJid.of("w" + writer + "-" + i, "example.com"), aliceCredentials);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.accounts()).hasSize(writers * perWriter);
        assertThat(FileCredentialStore.open(file()).accounts()).hasSize(writers * perWriter);
    }

    /** Waits for a condition, failing after five seconds. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
