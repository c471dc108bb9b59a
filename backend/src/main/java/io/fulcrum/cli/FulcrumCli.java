package io.fulcrum.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Headless commands of the Fulcrum jar: {@code reproduce …} and {@code bench train|import} need no
 * database or server; {@code bench queue}, {@code bench events}, {@code bench rank} and {@code bench assign} start their own server on a throw-away embedded PostgreSQL; {@code simulate-ab} drives a running server; {@code simulate-aa} needs neither. Results go to standard output, progress and errors to standard error.
 */
public final class FulcrumCli {

    static final String USAGE = """
            usage:
              fulcrum [server] [--PROPERTY=VALUE ...]     the dashboard, API and embedded worker (the default)
              fulcrum worker [--PROPERTY=VALUE ...]       a worker process (FULCRUM_WORKER_TOKEN)
              fulcrum reproduce synthetic [--correlations 0.1,0.3,0.5,0.7,0.9,1.0] [--models single,shared-bottom,mmoe,cgc,ple]
                                          [--seeds 5] [--samples 16000] [--epochs 60] [--dimension 64] [--tolerance 0]
                                          [--match-params [--param-budget N]] [--format table|json]
              fulcrum reproduce census --data PATH [--models single,mmoe,cgc,ple] [--seeds 5] [--epochs E]
                                       [--expert-units 64] [--tower-units 32] [--embedding-dim 8] [--sample-weights]
                                       [--tolerance 0] [--match-params [--param-budget N]] [--format table|json]
              fulcrum reproduce video [--tasks vtr,vcr] [--models single,shared-bottom,mmoe,cgc,ple] [--seeds 5]
                                      [--impressions 200000] [--users N] [--videos N] [--epochs E] [--tolerance 0]
                                      [--match-params [--param-budget N]] [--world KNOB=V1,V2,...] [--format table|json]
                --world: one world per value of a conflict knob: taskCorrelation, clickbait, clickbaitSignalNoise
                         (clickbait 1), segments (the share), segmentStrength (share 0.5); docs/simulator.md
                --seeds: a count N (seeds 1..N) or a list of distinct seeds such as 101,102,103; a verdict needs >= 3
                --tolerance: how far a gain's 95% interval must clear 0 to count as better or worse; one value for
                             every metric or pairs such as auc=0.001,mse=1% (metrics auc, logloss, mse, mae; p% is
                             relative to the baseline's mean; a metric left out gets 0)
                --match-params: scale every model's expert, bottom and tower widths to within 5% of the largest
                             model's parameters, or of --param-budget N; the single-task baseline keeps its size
              fulcrum bench train [--models ...] [--batch 1024] [--steps 20] [--warmup 5] [--threads N] [--device cpu|gpu|gpu:N]
                                  [--format table|json]
              fulcrum bench import [--rows 1000000] [--columns 40] [--dir DIR] [--format table|json]
              fulcrum bench queue [--runs 1000] [--claimers 4] [--points 1000000] [--series 100000]
                                  [--latency-samples 20] [--poll 1s] [--format table|json]
              fulcrum bench events [--events 1000000] [--batch 1000] [--threads 4] [--duplicates 0.1]
                                   [--users 100000] [--attributed 1.0] [--format table|json]
              fulcrum bench rank [--candidates 200] [--rate 200] [--seconds 30] [--warmup 120] [--windows 1] [--threads 32]
                                 [--impressions 100000] [--epochs 2] [--torch-threads N] [--format table|json]
              fulcrum bench assign [--users 1000000] [--warmup 200000] [--format table|json]
              fulcrum simulate-ab --server URL --experiment ID [--users 4000] [--days 7] [--seed 1] [--sessions 3]
                                  [--candidates 50] [--limit 10] [--patience 0.85] [--threads 4] [--format table|json]
                                  [--token T (or FULCRUM_TOKEN)] [--serving-token S (or FULCRUM_SERVING_TOKEN)]
                                  [--expected-lift views_per_user=0.5%,watch_time_per_user=-1%]
              fulcrum simulate-aa [--repeats 500] [--users 10000] [--looks 20] [--days 7] [--pre-days 14] [--sessions 1]
                                  [--limit 10] [--patience 0.85] [--true-lift 0 (e.g. 2%)] [--seed 1] [--world-seed 1]
                                  [--threads N] [--format table|json]
            """;

    private FulcrumCli() {}

    public static boolean handles(String command) {
        return "reproduce".equals(command)
                || "bench".equals(command)
                || "simulate-ab".equals(command)
                || "simulate-aa".equals(command);
    }

    /**
     * The first argument when it names no role and no command: neither {@code server}, {@code worker},
     * a command of this class, nor an option ({@code --server.port=9090}). A mistyped command must
     * not start a server on the current directory's database; the caller prints {@link #usage()}.
     */
    public static Optional<String> unknownCommand(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            return Optional.empty();
        }
        String first = args[0];
        return first.equals("server") || first.equals("worker") || handles(first)
                ? Optional.empty()
                : Optional.of(first);
    }

    /** The usage text: roles, commands and their options. */
    public static String usage() {
        return USAGE;
    }

    /** Runs a command on the process's standard output and error. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** Runs a command with its output and errors going to the given streams (also used by tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length >= 1 && (args[0].equals("simulate-ab") || args[0].equals("simulate-aa"))) {
            try {
                String[] options = Arrays.copyOfRange(args, 1, args.length);
                return args[0].equals("simulate-ab")
                        ? new SimulateAb(out, err).run(options)
                        : new SimulateAa(out, err).run(options);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                err.print(USAGE);
                return 2;
            } catch (Exception e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
        }
        if (args.length < 2) {
            err.print(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 2, args.length);
        try {
            if (args[0].equals("reproduce") && args[1].equals("synthetic")) {
                return new ReproduceSynthetic(out, err).run(rest);
            }
            if (args[0].equals("reproduce") && args[1].equals("census")) {
                return new ReproduceCensus(out, err).run(rest);
            }
            if (args[0].equals("reproduce") && args[1].equals("video")) {
                return new ReproduceVideo(out, err).run(rest);
            }
            if (args[0].equals("bench") && args[1].equals("train")) {
                return new BenchTrain(out, err).run(rest);
            }
            if (args[0].equals("bench") && args[1].equals("queue")) {
                return new BenchQueue(out, err).run(rest);
            }
            if (args[0].equals("bench") && args[1].equals("events")) {
                return new BenchEvents(out, err).run(rest);
            }
            if (args[0].equals("bench") && (args[1].equals("rank") || args[1].equals("assign"))) {
                BenchRank bench = new BenchRank(out, err);
                return args[1].equals("rank") ? bench.rank(rest) : bench.assign(rest);
            }
            if (args[0].equals("bench") && args[1].equals("import")) {
                return new BenchImport(out, err).run(rest);
            }
            err.println("unknown command: " + args[0] + " " + args[1]);
            err.print(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }
}
