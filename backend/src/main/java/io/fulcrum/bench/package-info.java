/**
 * The benchmarks of the platform's parts, which the {@code bench} commands run: the ranking endpoint
 * under an open-loop load and its phases, assignment, event ingestion and the results query, the run
 * queue and metric store, and the CSV import. Those that need a server start one with {@link
 * io.fulcrum.bench.ThrowAwayServer}; each uses the modules' public API only. Benchmarks print
 * figures; they assert nothing (tests check correctness, docs/benchmarks.md holds the figures).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Benchmarks")
package io.fulcrum.bench;
