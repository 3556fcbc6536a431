/**
 * JMH benchmarks of the codec: {@link org.fluxmpp.benchmarks.DecoderBenchmark} against bare Aalto tokenizing, and
 * {@link org.fluxmpp.benchmarks.EncoderBenchmark}. Run with
 * {@code java -jar benchmarks/target/benchmarks.jar DecoderBenchmark -prof gc}.
 */
@NullMarked
package org.fluxmpp.benchmarks;

import org.jspecify.annotations.NullMarked;
