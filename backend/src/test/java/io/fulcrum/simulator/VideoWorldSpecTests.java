package io.fulcrum.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class VideoWorldSpecTests {

    @Test
    void leftOutFieldsTakeTheirDefaults() {
        VideoWorldSpec spec = VideoWorldSpec.defaults();
        assertThat(spec.population().users()).isEqualTo(50_000);
        assertThat(spec.population().latentDimension()).isEqualTo(8);
        assertThat(spec.traffic().autoplayShare()).isEqualTo(0.5);
        assertThat(spec.watching().validViewSeconds()).isEqualTo(20.0);
        assertThat(VideoWorldSpec.Population.ofSize(10, 20).categories()).isEqualTo(24);
        assertThat(new VideoWorldSpec(null, null, null, null, null, null)).isEqualTo(spec);
    }

    @Test
    void invalidValuesAreRejectedWithTheFieldName() {
        assertThatThrownBy(() -> VideoWorldSpec.Population.ofSize(0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("population.users must be at least 1, was 0");
        assertThatThrownBy(() -> new VideoWorldSpec.Traffic(1.5, null))
                .hasMessage("traffic.autoplayShare must be in [0.0, 1.0], was 1.5");
        assertThatThrownBy(() -> new VideoWorldSpec.Traffic(Double.NaN, null))
                .hasMessageStartingWith("traffic.autoplayShare must be in");
        assertThatThrownBy(() -> VideoWorldSpec.Watching.defaults().withValidViewSeconds(-1))
                .hasMessage("watching.validViewSeconds must be in [0.0, 36000.0], was -1.0");
        assertThatThrownBy(() -> new VideoWorldSpec.Engagement(null, null, null, null, null, -0.1))
                .hasMessageStartingWith("engagement.commentUserTraitStd must be in");
        assertThatThrownBy(() -> new VideoWorldSpec.Population(
                        null, null, null, null, null, null, null, null, null, null, null, 100.0, 50.0))
                .hasMessageStartingWith("population.minLengthSeconds must not exceed population.maxLengthSeconds");
    }

    @Test
    void aPartialJsonSpecReadsWithDefaultsAndRoundTrips() {
        JsonMapper json = JsonMapper.builder().build();
        VideoWorldSpec spec = json.readValue(
                "{\"population\": {\"users\": 1000}, \"watching\": {\"validViewSeconds\": 15}}", VideoWorldSpec.class);
        assertThat(spec.population().users()).isEqualTo(1000);
        assertThat(spec.population().videos()).isEqualTo(10_000);
        assertThat(spec.watching().validViewSeconds()).isEqualTo(15.0);
        assertThat(spec.watching().passiveMeanSeconds()).isEqualTo(12.0);
        assertThat(spec.clicks()).isEqualTo(VideoWorldSpec.Clicks.defaults());

        assertThat(json.readValue(json.writeValueAsString(spec), VideoWorldSpec.class))
                .isEqualTo(spec);
    }
}
