package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.Ranking;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Ranking", description = "Scores candidates with the model version that serves the user on a surface")
public class RankApiController {

    public static final String PATH = "/api/rank";

    private final Ranking ranking;

    RankApiController(Ranking ranking) {
        this.ranking = ranking;
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Rank candidates for a user",
            description = "Assigns the user to a variant of the experiment running on the surface (or the champion"
                    + " alias of the surface's model), scores every candidate in one forward pass, combines the task"
                    + " predictions by weighted multiplication (Π p_k^w_k · f(videoLength)) and returns the best"
                    + " `limit` items. Records the request and one exposure per returned item. 400 names every"
                    + " broken rule (at most 50) and records nothing; 409 when the surface has nothing to serve.")
    public RankResponse rank(@RequestBody RankRequest request, HttpServletRequest http) {
        return ranking.rank(request, RankTimingFilter.receivedNanos(http));
    }
}
