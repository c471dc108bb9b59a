package io.fulcrum.rollout.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The ranked items and what ranked them. */
@Schema(description = "The candidates ranked by score, best first, and the route that scored them")
public record RankResponse(
        @Schema(description = "Send it with the user's events (requestId) so they count for this ranking")
        UUID requestId,

        String surface,

        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(
                description = "The running experiment that served the user; null on the champion route",
                nullable = true)
        Long experimentId,

        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(description = "The experiment's variant; null on the champion route", nullable = true)
        String variant,

        ModelRef model,
        List<RankedItem> items,

        @Schema(
                description = "Categorical values of the request the model has never seen (scored with its"
                        + " out-of-vocabulary embedding); a context value counts once")
        int oovValues) {

    @Schema(name = "RankModel")
    public record ModelRef(
            @Schema(example = "video-ranker") String name,
            @Schema(example = "3") int version) {}

    @Schema(name = "RankedItem")
    public record RankedItem(
            String itemId,
            @Schema(description = "1 for the best") int rank,

            @Schema(description = "Π_k p_k^{w_k} · f(videoLength)")
            double score,

            @Schema(description = "Each task's prediction: a probability, or a value for regression tasks")
            Map<String, Float> predictions) {}
}
