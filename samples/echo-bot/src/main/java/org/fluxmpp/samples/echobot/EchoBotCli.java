package org.fluxmpp.samples.echobot;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.fluxmpp.samples.options.AccountOptions;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The echo bot's command line: logs in and answers until stopped (SIGTERM, Ctrl-C), closing its stream on the way
 * out. Exit status 0 when stopped, 1 when the connection failed for good, 2 for bad options.
 */
@Command(name = "fluxmpp-echo-bot", mixinStandardHelpOptions = true, versionProvider = EchoBotCli.Version.class,
        description = "An XMPP bot that answers every chat or normal message with its own body.")
public final class EchoBotCli implements Callable<Integer> {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    @CommandLine.Mixin
    AccountOptions account = new AccountOptions();

    private final @Nullable String passwordFromEnv;

    EchoBotCli(@Nullable String passwordFromEnv) {
        this.passwordFromEnv = passwordFromEnv;
    }

    /** Runs the bot until it is stopped. */
    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(AccountOptions.PASSWORD_ENV)).execute(args));
    }

    static CommandLine commandLine(@Nullable String passwordFromEnv) {
        return AccountOptions.oneLineErrors(new CommandLine(new EchoBotCli(passwordFromEnv)), "fluxmpp-echo-bot");
    }

    @Override
    public Integer call() {
        EchoBot bot = EchoBot.start(account.client(passwordFromEnv));
        // SIGTERM and Ctrl-C run the hooks: close the stream properly before the JVM goes.
        Thread hook = new Thread(() -> bot.disposeNow(CLOSE_TIMEOUT), "echo-bot-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        bot.onClose().block();
        return 0;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = EchoBotCli.class.getPackage().getImplementationVersion();
            return new String[] {"fluxmpp-echo-bot " + (v == null ? "(development)" : v)};
        }
    }
}
