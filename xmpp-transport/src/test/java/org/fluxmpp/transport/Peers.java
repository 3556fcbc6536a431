package org.fluxmpp.transport;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * Real peers from Debian's packages that tests run against. A missing one is installed (the test machine is
 * disposable and runs as root); where that is impossible the test fails with the command to run, never skips.
 */
final class Peers {

    private Peers() {
    }

    static synchronized void ensureSlixmpp() throws Exception {
        if (run("/usr/bin/python3", "-c", "import slixmpp") == 0) {
            return;
        }
        if (run("sh", "-c", "[ \"$(id -u)\" -eq 0 ] && apt-get update -qq && "
                + "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-slixmpp") != 0
                || run("/usr/bin/python3", "-c", "import slixmpp") != 0) {
            throw new IllegalStateException("slixmpp is missing: apt-get install python3-slixmpp");
        }
    }

    static synchronized void ensureProsody() throws Exception {
        if (Files.isExecutable(Prosody.PROSODY) && Files.isExecutable(Prosody.PROSODYCTL)) {
            return;
        }
        if (run("sh", "-c", "[ \"$(id -u)\" -eq 0 ] && apt-get update -qq && "
                + "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prosody") != 0
                || !Files.isExecutable(Prosody.PROSODYCTL)) {
            throw new IllegalStateException("Prosody is missing: apt-get install prosody");
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
