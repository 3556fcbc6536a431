package org.fluxmpp.transport.sasl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import org.fluxmpp.jid.BareJid;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The embedded credential store: accounts' SCRAM keys in memory, loaded from and saved to one text file.
 *
 * <p>The file starts with a format line, {@code fluxmpp-accounts 1}, followed by one line per account and hash:
 * {@code jid mechanism iterations salt storedKey serverKey} (binary fields in Base64). It never holds a password.
 * Writes go to a temporary file that replaces the old one atomically, under a lock file, so a command-line tool can
 * change accounts while a server runs; the server sees the change on its next {@link #watch(Duration) poll}.
 *
 * <pre>{@code
 * FileCredentialStore store = FileCredentialStore.open(Path.of("data/accounts.txt"));
 * store.put(BareJid.parse("alice@example.com"), Credentials.fromPassword("secret"));  // blocking file I/O
 * Disposable watching = store.watch(Duration.ofSeconds(1));
 * }</pre>
 *
 * <p>{@link #find} never blocks (it reads memory); {@link #put}, {@link #remove} and {@link #reload} do file I/O and
 * belong on a thread that may block, never a Netty event loop.
 */
public final class FileCredentialStore implements CredentialStore {

    /** The format version this class reads and writes: {@value}. */
    public static final int FORMAT_VERSION = 1;

    private static final Logger log = LoggerFactory.getLogger(FileCredentialStore.class);
    private static final String HEADER = "fluxmpp-accounts";
    /**
     * One monitor per file for this whole JVM. A {@link FileLock} is held by the JVM, not a thread, so two stores on
     * the same file in one JVM must be serialised here: their overlapping {@code lock()} calls would otherwise throw
     * {@link java.nio.channels.OverlappingFileLockException}.
     */
    private static final ConcurrentMap<Path, Object> FILE_MONITORS = new ConcurrentHashMap<>();

    private final Path file;
    private final Object monitor;
    private volatile Map<BareJid, Credentials> accounts = Map.of();
    /** Emitted under the monitor, so never concurrently; a subscriber that cannot keep up misses removals. */
    private final Sinks.Many<BareJid> removals = Sinks.many().multicast().directBestEffort();
    private volatile @Nullable Object loadedVersion;

    private FileCredentialStore(Path file) {
        this.file = file;
        this.monitor = FILE_MONITORS.computeIfAbsent(file.normalize(), f -> new Object());
    }

    /**
     * Opens the store in this file, loading it when it exists (a missing file is an empty store).
     *
     * @throws UncheckedIOException when the file cannot be read or is not in a known format
     */
    public static FileCredentialStore open(Path file) {
        FileCredentialStore store = new FileCredentialStore(file.toAbsolutePath());
        store.reload();
        return store;
    }

    /** The file this store is kept in. */
    public Path file() {
        return file;
    }

    @Override
    public Mono<Credentials> find(BareJid account) {
        return Mono.justOrEmpty(accounts.get(account));
    }

    /** The accounts, sorted by JID. */
    public List<BareJid> accounts() {
        List<BareJid> list = new ArrayList<>(accounts.keySet());
        list.sort((a, b) -> a.toString().compareTo(b.toString()));
        return Collections.unmodifiableList(list);
    }

    /**
     * Adds or replaces an account and saves the file (blocking).
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public void put(BareJid account, Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        update(map -> {
            map.put(account, credentials);
            return map;
        });
    }

    /**
     * Removes an account and saves the file (blocking).
     *
     * @return whether the account existed
     * @throws UncheckedIOException when the file cannot be written
     */
    public boolean remove(BareJid account) {
        boolean[] existed = new boolean[1];
        update(map -> {
            existed[0] = map.remove(account) != null;
            return map;
        });
        return existed[0];
    }

    /**
     * Reads the file again if it changed since it was last read (blocking).
     *
     * @throws UncheckedIOException when it cannot be read or parsed
     */
    public void reload() {
        // Under the monitor, so that a reload started before a put cannot overwrite its result with older content.
        synchronized (monitor) {
            Object version = version(file);
            if (version != null && version.equals(loadedVersion)) {
                return;
            }
            replace(version == null ? Map.of() : read(file));
            loadedVersion = version;
        }
    }

    /** Accounts removed by {@link #remove} or found gone on a {@link #reload} (another process's deluser). */
    @Override
    public Flux<BareJid> removals() {
        return removals.asFlux();
    }

    /** Installs the new accounts (under the monitor) and announces the ones that are gone. */
    private void replace(Map<BareJid, Credentials> next) {
        Map<BareJid, Credentials> previous = accounts;
        accounts = next;
        for (BareJid account : previous.keySet()) {
            if (!next.containsKey(account)) {
                removals.tryEmitNext(account);
            }
        }
    }

    /**
     * Polls the file for changes made by another process, on a scheduler that may block.
     *
     * @param interval how often to check; a change is seen within this time
     * @return dispose to stop watching; a failed read is logged and the previous accounts stay in force
     */
    public Disposable watch(Duration interval) {
        return Flux.interval(interval, interval, Schedulers.boundedElastic())
                .subscribe(tick -> {
                    try {
                        reload();
                    } catch (UncheckedIOException e) {
                        log.warn("Could not reload {}: {}", file, e.getMessage());
                    }
                });
    }

    private void update(UnaryOperator<Map<BareJid, Credentials>> change) {
        synchronized (monitor) {
            updateLocked(change);
        }
    }

    private void updateLocked(UnaryOperator<Map<BareJid, Credentials>> change) {
        try {
            Path parent = file.getParent();
            Files.createDirectories(parent);
            Path lockFile = parent.resolve(file.getFileName() + ".lock");
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = lockChannel.lock()) {
                // Re-read under the lock: another process may have written since we last looked.
                Object version = version(file);
                Map<BareJid, Credentials> current = new LinkedHashMap<>(version == null ? Map.of() : read(file));
                Map<BareJid, Credentials> updated = change.apply(current);
                write(updated);
                replace(Map.copyOf(updated));
                loadedVersion = version(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(Map<BareJid, Credentials> map) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder sb = new StringBuilder();
        sb.append("# Fluxmpp accounts: SCRAM keys (RFC 5802), never passwords. Change with adduser/deluser.\n");
        sb.append(HEADER).append(' ').append(FORMAT_VERSION).append('\n');
        Map<String, Credentials> sorted = new TreeMap<>();
        map.forEach((jid, c) -> sorted.put(jid.toString(), c));
        sorted.forEach((jid, c) -> c.all().values().forEach(k -> sb.append(jid).append(' ')
                .append(k.hash().mechanismName()).append(' ')
                .append(k.iterations()).append(' ')
                .append(b64.encodeToString(k.salt())).append(' ')
                .append(b64.encodeToString(k.storedKey())).append(' ')
                .append(b64.encodeToString(k.serverKey())).append('\n')));
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Map<BareJid, Credentials> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Base64.Decoder b64 = Base64.getDecoder();
        Map<BareJid, List<ScramKeys>> keys = new LinkedHashMap<>();
        boolean headerSeen = false;
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" +");
            if (!headerSeen) {
                if (f.length != 2 || !f[0].equals(HEADER) || !f[1].equals(Integer.toString(FORMAT_VERSION))) {
                    throw new UncheckedIOException(new IOException(file + ":" + lineNo + ": expected '" + HEADER + " "
                            + FORMAT_VERSION + "', found '" + line + "'"));
                }
                headerSeen = true;
                continue;
            }
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException("expected 6 fields, found " + f.length);
                }
                ScramHash hash = ScramHash.fromMechanism(f[1]);
                if (hash == null) {
                    throw new IllegalArgumentException("unknown mechanism " + f[1]);
                }
                ScramKeys k = new ScramKeys(hash, b64.decode(f[3]), Integer.parseInt(f[2]), b64.decode(f[4]),
                        b64.decode(f[5]));
                keys.computeIfAbsent(BareJid.parse(f[0]), j -> new ArrayList<>()).add(k);
            } catch (IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException(file + ":" + lineNo + ": " + e.getMessage(), e));
            }
        }
        Map<BareJid, Credentials> out = new LinkedHashMap<>();
        keys.forEach((jid, list) -> out.put(jid, Credentials.of(list)));
        return Map.copyOf(out);
    }

    private static @Nullable Object version(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = a.fileKey();
            return List.of(a.lastModifiedTime(), a.size(), key == null ? "" : key);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
