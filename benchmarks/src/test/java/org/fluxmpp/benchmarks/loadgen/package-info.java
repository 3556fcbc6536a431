/** Tests of the load generator: its schedule, accounting and scenarios against an in-process Fluxmpp server. */
@NullMarked
package org.fluxmpp.benchmarks.loadgen;

import org.jspecify.annotations.NullMarked;
