package org.fluxmpp.benchmarks.loadgen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.fluxmpp.transport.sasl.ScramHash;
import org.fluxmpp.transport.sasl.ScramKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fluxmpp-loadgen provision}: writes the benchmark accounts in each server's bulk format, because registering
 * thousands of accounts one command at a time ({@code prosodyctl register}, {@code ejabberdctl register}) takes a
 * second or so per account:
 * <ul>
 *   <li>{@code fluxmpp}: {@code jid:password} lines for {@code fluxmpp-server adduser --batch};</li>
 *   <li>{@code prosody}: one {@code internal_hashed} account file per account under
 *       {@code DATA/HOST/accounts/} (SCRAM-SHA-1 keys as Prosody 0.12 stores them: a UUID salt, hex
 *       {@code stored_key} and {@code server_key}, the default 10,000 iterations);</li>
 *   <li>{@code piefxis}: an XEP-0227 file for {@code ejabberdctl import_piefxis}.</li>
 * </ul>
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Write the benchmark accounts in a server's bulk format (fluxmpp, prosody, piefxis).")
public final class Provision implements Callable<Integer> {

    /** Prosody 0.12's {@code default_iteration_count}. */
    static final int PROSODY_ITERATIONS = 10_000;

    @Option(names = "--format", required = true, description = "fluxmpp, prosody or piefxis.")
    String format;

    @Option(names = "--out", required = true,
            description = "The file (fluxmpp, piefxis) or Prosody's data_path directory (prosody).")
    Path out;

    @Option(names = "--domain", defaultValue = "localhost", description = "XMPP domain (default: ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--account-pattern", defaultValue = "bench%d",
            description = "Localpart pattern with one %%d (default: ${DEFAULT-VALUE}).")
    String accountPattern;

    @Option(names = "--accounts", defaultValue = "1000", description = "Accounts (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--password", defaultValue = "bench-password",
            description = "Every account's password (default: ${DEFAULT-VALUE}).")
    String password;

    @Override
    public Integer call() throws IOException {
        switch (format) {
            case "fluxmpp" -> {
                try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    for (int i = 0; i < accounts; i++) {
                        w.write(user(i) + "@" + domain + ":" + password + "\n");
                    }
                }
            }
            case "prosody" -> {
                // Prosody's file store encodes a host name's '.', '-' and '%' as %xx in directory names.
                StringBuilder host = new StringBuilder();
                for (char c : domain.toCharArray()) {
                    host.append(Character.isLetterOrDigit(c) ? String.valueOf(c)
                            : String.format(Locale.ROOT, "%%%02x", (int) c));
                }
                Path dir = out.resolve(host.toString()).resolve("accounts");
                Files.createDirectories(dir);
                HexFormat hex = HexFormat.of();
                for (int i = 0; i < accounts; i++) {
                    String salt = UUID.randomUUID().toString();
                    ScramKeys k = ScramKeys.derive(ScramHash.SHA_1, password,
                            salt.getBytes(StandardCharsets.UTF_8), PROSODY_ITERATIONS);
                    Files.writeString(dir.resolve(user(i) + ".dat"), "return {\n"
                            + "\t[\"iteration_count\"] = " + PROSODY_ITERATIONS + ";\n"
                            + "\t[\"salt\"] = \"" + salt + "\";\n"
                            + "\t[\"server_key\"] = \"" + hex.formatHex(k.serverKey()) + "\";\n"
                            + "\t[\"stored_key\"] = \"" + hex.formatHex(k.storedKey()) + "\";\n"
                            + "};\n");
                }
            }
            case "piefxis" -> {
                try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    w.write("<?xml version='1.0' encoding='UTF-8'?>\n<server-data xmlns='urn:xmpp:pie:0'>\n"
                            + "<host jid='" + domain + "'>\n");
                    for (int i = 0; i < accounts; i++) {
                        w.write("<user name='" + user(i) + "' password='" + password + "'/>\n");
                    }
                    w.write("</host>\n</server-data>\n");
                }
            }
            default -> throw new IllegalArgumentException("--format must be fluxmpp, prosody or piefxis: " + format);
        }
        System.out.println("wrote " + accounts + " accounts (" + format + ") to " + out);
        return 0;
    }

    private String user(int i) {
        return String.format(Locale.ROOT, accountPattern, i);
    }
}
