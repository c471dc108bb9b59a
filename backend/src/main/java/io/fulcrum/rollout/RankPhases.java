package io.fulcrum.rollout;

import io.fulcrum.rollout.internal.RankApiController;
import io.fulcrum.rollout.internal.RankRequest;
import io.fulcrum.rollout.internal.RankResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The phases of answering a ranking request, timed in-process on a running application: what {@code
 * bench rank} reports beside the end-to-end latency. It parses and writes as the endpoint does and runs
 * {@link Ranking} itself in between, so the timed steps are the endpoint's, not a copy of them.
 */
public final class RankPhases {

    /** The ranking endpoint's path. */
    public static final String PATH = RankApiController.PATH;

    private RankPhases() {}

    /**
     * Times {@code samples} requests (after {@code warmups} more, for the JIT to compile the request
     * path), cycling through {@code bodies}: per phase, in order, each request's microseconds. The
     * phases between parsing and writing are {@link Ranking}'s own steps, marked as it takes them;
     * {@code route} includes the request's checks.
     */
    public static Map<String, double[]> time(ListableBeanFactory app, List<byte[]> bodies, int samples, int warmups) {
        JsonMapper mapper = app.getBean(JsonMapper.class);
        Ranking ranking = app.getBean(Ranking.class);
        String[] names = {"parseJson", "route", "encode", "forward", "scoreAndSort", "logTransaction", "writeJson"};
        double[][] micros = new double[names.length][samples];
        long[] marks = new long[Ranking.MARKS];
        for (int s = -warmups; s < samples; s++) {
            byte[] bytes = bodies.get(Math.floorMod(s, bodies.size()));
            long start = System.nanoTime();
            RankRequest request = mapper.readValue(bytes, RankRequest.class);
            long parsed = System.nanoTime();
            RankResponse response = ranking.rank(request, start, marks);
            mapper.writeValueAsBytes(response);
            long written = System.nanoTime();
            long[] t = {
                start,
                parsed,
                marks[Ranking.ROUTED],
                marks[Ranking.ENCODED],
                marks[Ranking.FORWARDED],
                marks[Ranking.SORTED],
                marks[Ranking.LOGGED],
                written
            };
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
