/**
 * Benchmarks, not shipped: the load generator ({@link dev.loomchat.bench.LoadGenerator} on
 * {@link dev.loomchat.bench.NioLoop}), the comparison runner and its peer servers (Netty, CPython,
 * NATS), the forking and Redis-client benchmarks and the JMH micro-benchmarks, all behind
 * {@code ./loomchat bench COMMAND} ({@link dev.loomchat.bench.Main}). Results and the commands
 * that produced them are in BENCHMARKS.md.
 */
package dev.loomchat.bench;
