package org.fluxmpp.samples.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fluxmpp.transport.XmppClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The shared options, parsed by picocli as the samples' command lines do, and their one-line failures. */
class AccountOptionsTest {

    @TempDir
    Path dir;

    @Command(name = "sample")
    static final class Sample implements Callable<Integer> {
        @CommandLine.Mixin
        AccountOptions account = new AccountOptions();
        final String env;
        XmppClient client;

        Sample(String env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            client = account.client(env);
            return 0;
        }
    }

    private record Run(int status, Sample sample, String err) {
    }

    private static Run run(String env, String... args) {
        Sample sample = new Sample(env);
        StringWriter err = new StringWriter();
        CommandLine cl = AccountOptions.oneLineErrors(new CommandLine(sample), "sample");
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), sample, err.toString());
    }

    @Test
    void hostPortDirectTlsAndThePasswordFromTheEnvironmentMakeTheClient() {
        Run r = run("secret", "--jid", "bot@example.com/r", "--host", "127.0.0.1", "--port", "5223", "--direct-tls");
        assertThat(r.status()).isZero();
        XmppClient c = r.sample().client;
        assertThat(c.jid().toString()).isEqualTo("bot@example.com");
        assertThat(c.resource()).isEqualTo("r");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(5223);
        assertThat(c.directTls()).isTrue();
    }

    @Test
    void thePasswordFileIsReadOnEveryConnection() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "first\r\nignored");
        Run r = run(null, "--jid", "bot@example.com", "--password-file", file.toString());
        assertThat(r.status()).isZero();
        assertThat(r.sample().client.host()).isNull();
        AccountOptions account = r.sample().account;
        assertThat(account.password(null).block()).isEqualTo("first");
        Files.writeString(file, "rotated\n");
        assertThat(account.password(null).block()).isEqualTo("rotated");
    }

    @Test
    void aPortWithoutAHostIsABadOption() {
        Run r = run("secret", "--jid", "bot@example.com", "--port", "5223");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("sample: --port and --direct-tls need --host");
    }

    @Test
    void noPasswordIsABadOption() {
        Run r = run(null, "--jid", "bot@example.com");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("sample: no password: give --password-file or set FLUXMPP_PASSWORD");
    }

    @Test
    void aMissingJidIsABadOptionInOneLine() {
        Run r = run("secret");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("sample: Missing required option").doesNotContain("\n");
    }
}
