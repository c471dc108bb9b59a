package io.fulcrum.dataset;

import io.fulcrum.simulator.VideoWorldSpec;

/**
 * What a VIDEO_SIMULATOR dataset is: a world (its spec and seed) and a stream of impressions drawn
 * from it (its seed and length). Stored as given, so the same data can be generated again.
 *
 * @param impressions rows to generate, default 100,000
 * @param worldSeed the seed of the users and videos, default 1
 * @param streamSeed the seed of the impressions, default 2
 * @param world the simulator's knobs; omitted groups and fields take their defaults (docs/simulator.md)
 */
public record SimulatorDatasetSpec(Long impressions, Long worldSeed, Long streamSeed, VideoWorldSpec world) {

    public static final long MAX_IMPRESSIONS = 100_000_000L;

    public SimulatorDatasetSpec {
        impressions = impressions == null ? 100_000L : impressions;
        worldSeed = worldSeed == null ? 1L : worldSeed;
        streamSeed = streamSeed == null ? 2L : streamSeed;
        world = world == null ? VideoWorldSpec.defaults() : world;
    }
}
