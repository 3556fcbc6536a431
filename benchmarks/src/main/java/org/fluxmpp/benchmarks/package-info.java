/**
 * JMH benchmarks of the codec: {@link org.fluxmpp.benchmarks.DecoderBenchmark} against bare Aalto tokenizing, and
 * {@link org.fluxmpp.benchmarks.EncoderBenchmark}. Run with
 * {@code java -jar benchmarks/target/benchmarks.jar DecoderBenchmark -prof gc}.
 *
 * <p>Client-to-server benchmarks, client and server in one process: {@link org.fluxmpp.benchmarks.LoginBenchmark}
 * (full logins per second) against {@link org.fluxmpp.benchmarks.TlsHandshakeBenchmark} (TLS handshakes per second
 * on a bare Netty server), and {@link org.fluxmpp.benchmarks.IdleMemoryBenchmark} (memory per idle authenticated TLS
 * session against a bare Netty TLS connection; a {@code main}). Commands and results: {@code docs/benchmarks.md}.
 */
@NullMarked
package org.fluxmpp.benchmarks;

import org.jspecify.annotations.NullMarked;
