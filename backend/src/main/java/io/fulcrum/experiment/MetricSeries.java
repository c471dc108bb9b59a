package io.fulcrum.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One series of a run's metrics between two steps. When it held more points than asked for, each
 * returned point summarises a bucket of consecutive steps: the mean, with the bucket's min and max.
 */
@Schema(description = "One metric series, downsampled to at most maxPoints points")
public record MetricSeries(
        String split,
        String name,
        String task,

        @Schema(description = "Points stored in the requested step range")
        long total,

        boolean downsampled,
        List<Point> points) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Point(long step, int epoch, double value, Double min, Double max) {}
}
