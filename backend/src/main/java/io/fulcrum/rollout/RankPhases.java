package io.fulcrum.rollout;

import io.fulcrum.mtl.Predictions;
import io.fulcrum.rollout.internal.CandidateEncoder;
import io.fulcrum.rollout.internal.RankApiController;
import io.fulcrum.rollout.internal.RankLog;
import io.fulcrum.rollout.internal.RankRequest;
import io.fulcrum.rollout.internal.RankResponse;
import io.fulcrum.rollout.internal.ServingModel;
import io.fulcrum.rollout.internal.ServingModels;
import io.fulcrum.rollout.internal.Violations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The phases of answering a ranking request, timed in-process on a running application: what {@code
 * bench rank} reports beside the end-to-end latency. It walks the same steps as {@code POST
 * /api/rank} (parse, route, encode, forward, score and sort, log, write) with the same beans, so the
 * benchmark needs none of the serving path's own classes.
 */
public final class RankPhases {

    /** The ranking endpoint's path. */
    public static final String PATH = RankApiController.PATH;

    private RankPhases() {}

    /**
     * Times {@code samples} requests (after {@code warmups} more, for the JIT to compile the request
     * path), cycling through {@code bodies}: per phase, in order, each request's microseconds.
     */
    public static Map<String, double[]> time(ListableBeanFactory app, List<byte[]> bodies, int samples, int warmups) {
        JsonMapper mapper = app.getBean(JsonMapper.class);
        SurfaceRouting routing = app.getBean(SurfaceRouting.class);
        ServingModels models = app.getBean(ServingModels.class);
        int torchThreads = app.getBean(ServingProperties.class).torchThreads();
        RankLog log = app.getBean(RankLog.class);
        String[] names = {"parseJson", "route", "encode", "forward", "scoreAndSort", "logTransaction", "writeJson"};
        double[][] micros = new double[names.length][samples];
        for (int s = -warmups; s < samples; s++) {
            byte[] bytes = bodies.get(Math.floorMod(s, bodies.size()));
            long[] t = new long[names.length + 1];
            t[0] = System.nanoTime();
            RankRequest request = mapper.readValue(bytes, RankRequest.class);
            t[1] = System.nanoTime();
            Route route = routing.route(request.surface(), request.userId());
            t[2] = System.nanoTime();
            RankResponse response;
            try (ServingModels.Lease lease = models.acquire(route.modelName(), route.modelVersion())) {
                ServingModel model = lease.model();
                Violations violations = new Violations();
                CandidateEncoder.Encoded encoded = model.encoder().encode(request, true, violations);
                violations.throwIfAny();
                t[3] = System.nanoTime();
                Predictions p = model.predict(encoded.rows(), Duration.ofSeconds(10), torchThreads);
                t[4] = System.nanoTime();
                int n = request.candidates().size();
                double[] scores = route.scoring().score(model.tasks(), p.values(), encoded.lengths(), n);
                List<RankResponse.RankedItem> items =
                        Ranking.best(request.candidates(), model.tasks(), p.values(), scores, request.limit());
                t[5] = System.nanoTime();
                UUID id = UUID.randomUUID();
                log.record(
                        id,
                        route,
                        request.userId(),
                        n,
                        items.stream().map(RankResponse.RankedItem::itemId).toList(),
                        encoded.oovValues(),
                        (t[5] - t[0]) / 1000,
                        Instant.now());
                t[6] = System.nanoTime();
                response = new RankResponse(
                        id,
                        route.surface(),
                        null,
                        null,
                        new RankResponse.ModelRef(route.modelName(), route.modelVersion()),
                        items,
                        encoded.oovValues());
            }
            mapper.writeValueAsBytes(response);
            t[7] = System.nanoTime();
            if (s >= 0) {
                for (int k = 0; k < names.length; k++) {
                    micros[k][s] = (t[k + 1] - t[k]) / 1e3;
                }
            }
        }
        Map<String, double[]> r = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) {
            r.put(names[k], micros[k]);
        }
        return r;
    }
}
