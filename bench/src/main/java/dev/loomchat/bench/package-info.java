/**
 * Benchmarks, not shipped: JMH micro-benchmarks (run {@code java -jar bench/target/benchmarks.jar}).
 * Results and the commands that produced them are in BENCHMARKS.md.
 */
package dev.loomchat.bench;
