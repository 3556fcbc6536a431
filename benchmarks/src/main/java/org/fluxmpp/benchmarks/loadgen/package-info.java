/**
 * {@code fluxmpp-loadgen}: a load generator that speaks plain XMPP over TCP (RFC 6120: STARTTLS, SASL, resource
 * binding), so that the same load can be run against any server: logins per second, message throughput and latency
 * between pairs of sessions (open loop, free of coordinated omission, or closed loop), and the server's resident
 * memory per idle session. {@link org.fluxmpp.benchmarks.loadgen.LoadGenerator} is its command line;
 * {@link org.fluxmpp.benchmarks.loadgen.EchoServer} the minimal relay it measures its own ceiling against;
 * {@link org.fluxmpp.benchmarks.loadgen.Report} turns the comparison's results into charts and a table. Usage and
 * results: {@code docs/benchmarks.md}.
 */
@NullMarked
package org.fluxmpp.benchmarks.loadgen;

import org.jspecify.annotations.NullMarked;
