package org.fluxmpp.samples.webfluxchat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.fluxmpp.jid.BareJid;
import org.fluxmpp.jid.Jid;
import org.fluxmpp.transport.ServerTls;
import org.fluxmpp.transport.sasl.CredentialStore;
import org.fluxmpp.transport.sasl.Credentials;
import org.fluxmpp.transport.sasl.FileCredentialStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The WebFlux chat: {@code java -jar samples/webflux-chat/target/fluxmpp-webflux-chat.jar}, then
 * https://localhost:8443/. Its data directory ({@code chat.data-dir}, default {@code webflux-chat-data}) has the demo
 * server's layout: {@code accounts.txt} and {@code tls/cert.pem}, {@code tls/key.pem} (a development certificate for
 * {@code localhost}, made on first start), so the demo server's {@code adduser} adds chat users.
 */
@SpringBootApplication
public class WebfluxChatApplication {

    static final String DATA_DIR_ARGUMENT = "--chat.data-dir=";
    static final String DEFAULT_DATA_DIR = "webflux-chat-data";

    /** Starts the application; {@code --chat.data-dir=DIR} moves its data. */
    public static void main(String[] args) {
        Path dir = Arrays.stream(args).filter(a -> a.startsWith(DATA_DIR_ARGUMENT))
                .map(a -> Path.of(a.substring(DATA_DIR_ARGUMENT.length())))
                .reduce((first, second) -> second)
                .orElse(Path.of(DEFAULT_DATA_DIR)).toAbsolutePath();
        prepare(dir);
        String[] withDir = Arrays.copyOf(args, args.length + 1);
        withDir[args.length] = DATA_DIR_ARGUMENT + dir;
        SpringApplication.run(WebfluxChatApplication.class, withDir);
    }

    /**
     * Makes a development certificate for {@code localhost} in {@code DIR/tls} unless one is there: HTTPS and the
     * XMPP server share it, so browsers and XMPP clients see one certificate.
     */
    static void prepare(Path dir) {
        Path cert = dir.resolve("tls/cert.pem");
        if (!Files.exists(cert)) {
            try {
                Files.createDirectories(cert.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + cert.getParent() + ": " + e.getMessage(), e);
            }
            ServerTls.writeSelfSigned("localhost", cert, dir.resolve("tls/key.pem"));
        }
    }

    /**
     * The account file, with the bot's account set to the configured password (so changing
     * {@code chat.bot-password} needs nothing else). The starter uses this bean instead of making its own store.
     */
    @Bean
    CredentialStore chatAccounts(@Value("${chat.data-dir}") Path dir, @Value("${fluxmpp.client.jid}") String bot,
                                 @Value("${chat.bot-password}") String botPassword) {
        FileCredentialStore store = FileCredentialStore.open(dir.resolve("accounts.txt"));
        BareJid account = Jid.parse(bot).asBareJid();
        store.put(account, Credentials.fromPassword(botPassword));
        return store;
    }
}
