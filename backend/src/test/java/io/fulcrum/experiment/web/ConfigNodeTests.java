package io.fulcrum.experiment.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.system.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run configuration's structure: sections, tables of flat objects, and values. */
class ConfigNodeTests {

    private static List<ConfigNode> tree(String json) {
        return ConfigNode.of(Json.MAPPER.readTree(json));
    }

    @Test
    void objectsAreSectionsAndPlainValuesStayValues() {
        List<ConfigNode> nodes = tree("""
                {"label": "ple", "model": {"architecture": "ple", "experts": {"units": [64, 32], "shared": 2}},
                 "priority": 0, "lossWeightSchedule": null}""");

        assertThat(nodes).extracting(ConfigNode::name).containsExactly("label", "model", "priority");
        assertThat(nodes.get(0).value()).isEqualTo("ple");
        ConfigNode model = nodes.get(1);
        assertThat(model.isLeaf()).isFalse();
        assertThat(model.isTable()).isFalse();
        ConfigNode experts = model.children().get(1);
        assertThat(experts.children())
                .extracting(ConfigNode::name, ConfigNode::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("units", "[64,32]"),
                        org.assertj.core.groups.Tuple.tuple("shared", "2"));
    }

    @Test
    void aListOfFlatObjectsIsOneTableNotARowPerField() {
        List<ConfigNode> nodes = tree("""
                {"categorical": [{"name": "user_id", "vocabularySize": 50000},
                                 {"name": "device", "vocabularySize": 4, "embedding": 2}]}""");

        ConfigNode table = nodes.get(0);
        assertThat(table.isTable()).isTrue();
        assertThat(table.summary()).isEqualTo("categorical (2)");
        assertThat(table.columns()).containsExactly("name", "vocabularySize", "embedding");
        assertThat(table.rows()).containsExactly(List.of("user_id", "50000", ""), List.of("device", "4", "2"));
    }

    @Test
    void aListOfNestedObjectsIsASectionPerElement() {
        List<ConfigNode> nodes = tree("""
                {"towers": [{"task": "ctr", "units": [16]}, {"task": "cvr", "units": [8]}]}""");

        ConfigNode towers = nodes.get(0);
        assertThat(towers.isTable()).isFalse();
        assertThat(towers.children()).extracting(ConfigNode::name).containsExactly("towers[0]", "towers[1]");
        assertThat(towers.children().get(1).children().get(1).value()).isEqualTo("[8]");
    }
}
