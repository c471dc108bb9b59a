package io.fulcrum.rollout.internal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.annotation.JsonDeserialize;

/** A ranking request: who asks, on which surface, in which context, and the items to rank. */
@Schema(description = "Candidates to rank for a user on a surface")
public record RankRequest(
        @Schema(description = "The surface asking; \"default\" when absent", example = "home-feed")
        String surface,

        @Schema(description = "The user, 1 to 200 characters; decides the experiment variant", example = "u-1842")
        String userId,

        @Schema(
                description = "Features shared by every candidate (user and context features), by model input name."
                        + " A candidate's own feature of the same name wins",
                example = "{\"user_id\": 1842, \"device\": 1, \"hour\": 20, \"user_activity\": 0.7}")
        Map<String, Object> context,

        @Schema(description = "1 to fulcrum.serving.max-candidates (1000) items, each id once")
        List<Candidate> candidates,

        @Schema(
                description = "How many ranked items to return, at least 1; default 10; more than the candidates"
                        + " returns them all",
                example = "10")
        Integer limit) {

    /** One item to rank. */
    @Schema(name = "RankCandidate")
    @JsonDeserialize(using = RankCandidateDeserializer.class)
    public record Candidate(
            @Schema(description = "The item, 1 to 200 characters, unique in the request", example = "v-77")
            String itemId,

            @Schema(
                    description = "Item features by model input name: dense ones as JSON numbers, categorical ones"
                            + " as JSON integers (or the text value the dataset had)",
                    example = "{\"video_id\": 77, \"category\": 3, \"video_popularity\": 0.2}")
            Map<String, Object> features,

            @Schema(
                    description = "Seconds, at least 0; required when the route's scoring has a length transform",
                    example = "95")
            Double videoLength) {}
}
