package io.fulcrum.rollout.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.BrowserTest;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.experiment.ExperimentFixtures;
import io.fulcrum.registry.ModelRegistry;
import io.fulcrum.rollout.AbExperimentState;
import io.fulcrum.rollout.AbExperimentView;
import io.fulcrum.rollout.AbExperiments;
import io.fulcrum.rollout.AbFixtures;
import io.fulcrum.rollout.AbVariant;
import io.fulcrum.rollout.EventLog;
import io.fulcrum.rollout.EventRecord;
import io.fulcrum.rollout.EventType;
import io.fulcrum.rollout.LengthTransform;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The A/B pages in a real headless Chromium: an experiment made on the form, started, ramped and ended. */
@FulcrumSpringTest
class AbExperimentPagesBrowserTests extends BrowserTest {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AbExperiments experiments;

    @Autowired
    ModelRegistry registry;

    @Autowired
    EventLog eventLog;

    AbFixtures ab;

    @BeforeEach
    void fixtures() {
        ab = new AbFixtures(mvc, jdbc);
    }

    String flash() {
        return browser.findElement(By.cssSelector("main .flash")).getText();
    }

    long currentId() {
        String path = browser.getCurrentUrl().replaceAll("[?#].*$", "");
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    }

    List<String> historyActions() {
        return field("ab-history").findElements(By.cssSelector("tbody tr td:nth-child(2)")).stream()
                .map(WebElement::getText)
                .toList();
    }

    void fillVariant(int row, String name, String version, String bps, String exponents) {
        type("variants" + row + ".name", name);
        type("variants" + row + ".modelVersion", version);
        type("variants" + row + ".allocationBps", bps);
        type("variants" + row + ".exponents", exponents);
    }

    void acceptConfirm() {
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        browser.switchTo().alert().accept();
    }

    @Test
    void createsAnExperimentOnTheFormStartsItAndSeesItsStateAndHistory() {
        String model = ab.modelWithTwoVersions();
        String surface = ab.surface(model);
        String name = ExperimentFixtures.unique("form-exp");

        open("/ab-experiments/new");
        type("name", name);
        choose("surface", surface);
        choose("targetMetric", "views_per_user");
        type("description", "made on the form");
        fillVariant(0, "control", "1", "500", "y1=1, y2=1");
        fillVariant(1, "treatment", "2", "1500", "y1=2, y2=0.5");
        choose("variants1.lengthType", "sigmoid");
        type("variants1.lengthCenter", "30");
        type("variants1.lengthScale", "10");
        type("rampPlan", "10@PT1H, 50@PT2H, 100");
        choose("guardrails0.metric", "play_rate");
        type("guardrails0.threshold", "0.02");
        choose("guardrails1.metric", "p99_latency_ms");
        type("guardrails1.threshold", "25");
        type("guardrails1.alpha", "0.01");
        choose("correction", "benjamini-hochberg");
        type("preExposure", "P7D");
        type("plannedUsersPerVariant", "20000");
        submit("save-ab");

        assertThat(field("ab-state").getText()).isEqualTo("DRAFT");
        assertThat(flash()).isEqualTo("Experiment '" + name + "' created as a DRAFT");
        long id = currentId();
        AbExperimentView stored = experiments.get(id);
        assertThat(stored.surface()).isEqualTo(surface);
        assertThat(stored.targetMetric()).isEqualTo("views_per_user");
        assertThat(stored.description()).isEqualTo("made on the form");
        assertThat(stored.salt()).matches("[0-9a-f]{16}");
        assertThat(stored.variants()).extracting(AbVariant::name).containsExactly("control", "treatment");
        assertThat(stored.variants()).extracting(AbVariant::control).containsExactly(true, false);
        // analysis left at its default: guardrails and a ramp plan make it sequential
        assertThat(stored.analysis()).isEqualTo("sequential");
        assertThat(stored.correction()).isEqualTo("benjamini-hochberg");
        assertThat(stored.preExposure()).isEqualTo("P7D");
        assertThat(stored.plannedUsersPerVariant()).isEqualTo(20000L);
        assertThat(stored.variants()).extracting(AbVariant::modelVersion).containsExactly(1, 2);
        assertThat(stored.variants()).extracting(AbVariant::allocationBps).containsExactly(500, 1500);
        assertThat(stored.variant("treatment").scoring().exponents()).isEqualTo(Map.of("y1", 2.0, "y2", 0.5));
        assertThat(stored.variant("treatment").scoring().lengthTransform())
                .isEqualTo(new LengthTransform("sigmoid", 30.0, 10.0));
        assertThat(stored.rampPlan())
                .extracting(s -> s.percent() + "@" + s.minDuration())
                .containsExactly("10.0@PT1H", "50.0@PT2H", "100.0@PT0S");
        assertThat(stored.guardrails())
                .extracting(g -> g.metric() + " " + g.maxRelativeDrop() + " " + g.maxMillis() + " " + g.alpha())
                .containsExactly("play_rate 0.02 null 0.05", "p99_latency_ms null 25.0 0.01");
        assertThat(field("variant-treatment").getText()).contains("v2", "1500", "500 – 1999", "sigmoid");
        assertThat(field("ab-ramp").getText()).contains("10 %", "50 %", "100 %");
        assertThat(historyActions()).containsExactly("created");

        submit("start");

        assertThat(field("ab-state").getText()).isEqualTo("RUNNING");
        assertThat(flash()).isEqualTo("Experiment '" + name + "' started");
        assertThat(field("ramp-step-0").getAttribute("class")).contains("current");
        assertThat(field("ramp-step-1").getAttribute("class")).doesNotContain("current");
        assertThat(field("ab-started").getText()).endsWith("UTC");
        assertThat(historyActions()).containsExactly("created", "started");
        assertThat(field("ab-history").getText()).contains("DRAFT → RUNNING, ramp 10 % → 10 %", "admin");
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> "true".equals(field("ab-results").getAttribute("data-ready")));
        assertThat(field("results-empty").isDisplayed()).isTrue();
        assertThat(field("results-empty").getText()).isEqualTo("No results yet");
        assertThat(field("results").isDisplayed()).isFalse();

        type("advance-reason", "looks healthy");
        submit("advance");

        assertThat(field("ramp-step-1").getAttribute("class")).contains("current");
        assertThat(field("ramp-step-0").getAttribute("class")).contains("done");
        assertThat(historyActions()).containsExactly("created", "started", "ramp-advanced");
        assertThat(field("ab-history").getText()).contains("RUNNING → RUNNING, ramp 10 % → 50 %", "looks healthy");

        submit("rollback");
        assertThat(browser.findElement(By.cssSelector("main .flash.error")).getText())
                .isEqualTo("reason must be given: say why");
        assertThat(field("ab-state").getText()).isEqualTo("RUNNING");

        type("rollback-reason", "play_rate fell");
        submit("rollback");

        assertThat(field("ab-state").getText()).isEqualTo("ROLLED_BACK");
        assertThat(field("ab-outcome").getText()).isEqualTo("play_rate fell");
        assertThat(historyActions()).containsExactly("created", "started", "ramp-advanced", "rolled-back");
        assertThat(field("ab-actions").findElements(By.tagName("button"))).isEmpty();
        assertThat(experiments.get(id).state()).isEqualTo(AbExperimentState.ROLLED_BACK);

        open("/ab-experiments");
        assertThat(field("ab-" + id).getText()).contains(name, surface, "ROLLED_BACK", "views_per_user");
        submit("new-ab");
        assertThat(field("ab-form").isDisplayed()).isTrue();
    }

    @Test
    void promotesTheChosenVariantFromThePage() {
        String model = ab.modelWithTwoVersions();
        String surface = ab.surface(model);
        long id = ab.createAndStart(surface);

        open("/ab-experiments/" + id);
        assertThat(field("ramp-step-0").getAttribute("class")).contains("current");
        choose("promote-variant", "treatment");
        type("promote-reason", "more views");
        click("promote");
        acceptConfirm();

        assertThat(field("ab-state").getText()).isEqualTo("PROMOTED");
        assertThat(field("ab-outcome").getText()).isEqualTo("winner: treatment — more views");
        assertThat(registry.resolve(model, "champion").version()).isEqualTo(2);
        assertThat(historyActions()).containsExactly("created", "started", "promoted");
    }

    @Test
    void editsADraftOnItsForm() {
        String surface = ab.surface(ab.modelWithTwoVersions());
        long id = experiments
                .create(
                        new io.fulcrum.rollout.AbExperimentRequest(
                                "to-edit",
                                surface,
                                null,
                                "fixed-salt",
                                "play_rate",
                                List.of(new io.fulcrum.rollout.Guardrail("p99_latency_ms", null, 20.0, null)),
                                List.of(new io.fulcrum.rollout.RampStep(5.0, "PT1H")),
                                List.of(
                                        new io.fulcrum.rollout.AbVariantRequest("a", true, 1, null, 100),
                                        new io.fulcrum.rollout.AbVariantRequest("b", false, 2, null, 100))),
                        "erin")
                .id();

        open("/ab-experiments/" + id);
        submit("edit");
        assertThat(field("name").getAttribute("value")).isEqualTo("to-edit");
        assertThat(field("salt").getAttribute("value")).isEqualTo("fixed-salt");
        assertThat(field("rampPlan").getAttribute("value")).isEqualTo("5@PT1H");
        assertThat(field("variants1.exponents").getAttribute("value")).isEqualTo("y1=1, y2=1");
        assertThat(field("guardrails0.threshold").getAttribute("value")).isEqualTo("20.0");
        assertThat(field("control-0").isSelected()).isTrue();
        type("variants1.allocationBps", "300");
        click("control-1");
        submit("save-ab");

        assertThat(flash()).isEqualTo("Experiment 'to-edit' saved");
        assertThat(field("variant-b").getText()).contains("300", "Control");
        assertThat(historyActions()).containsExactly("created", "updated");
        AbExperimentView edited = experiments.get(id);
        assertThat(edited.variants()).extracting(AbVariant::control).containsExactly(false, true);
        assertThat(edited.salt()).isEqualTo("fixed-salt");
        assertThat(edited.guardrails().get(0).maxMillis()).isEqualTo(20.0);
    }

    @Test
    void showsWhyAnExperimentIsRefusedNextToItsFields() {
        String surface = ab.surface(ab.modelWithTwoVersions());

        open("/ab-experiments/new");
        type("name", "refused");
        choose("surface", surface);
        fillVariant(0, "control", "1", "500", "");
        fillVariant(1, "treatment", "2", "500", "y1=lots");
        type("rampPlan", "5@PT1H, twenty");
        submit("save-ab");

        assertThat(field("form-errors").getText()).contains("Please correct the highlighted fields.");
        assertThat(errorNextTo("variants1.exponents")).isEqualTo("write task=weight pairs, e.g. vtr=1, vcr=0.5");
        assertThat(errorNextTo("rampPlan")).isEqualTo("write percent@duration steps, e.g. 5@PT1H, 20@PT6H, 100");

        type("variants1.exponents", "y1=2, ctr=1");
        type("variants1.modelVersion", "9");
        type("variants1.allocationBps", "9600");
        type("variants2.name", "Third");
        type("variants2.modelVersion", "1");
        type("variants2.allocationBps", "1");
        type("rampPlan", "50@PT1H, 20@1h");
        choose("guardrails0.metric", "play_rate");
        type("guardrails0.threshold", "1.5");
        submit("save-ab");

        assertThat(errorNextTo("variants1.modelVersion")).contains("has no version 9");
        assertThat(errorNextTo("variants2.name")).contains("must be 1 to 40 of a-z");
        assertThat(errorNextTo("guardrails0.threshold")).isEqualTo("must be a fraction in [0, 1), e.g. 0.02 for 2 %");
        assertThat(field("variants-error").getText())
                .isEqualTo("allocations sum to 10101 basis points; at most 10000 (the rest is held out)");
        assertThat(errorNextTo("rampPlan")).isEqualTo("must be above the previous step's 50");
        assertThat(errorNextTo("variants0.name")).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#variant-rows tbody tr")))
                .hasSize(4);
        assertThat(field("variants1.exponents").getAttribute("value")).isEqualTo("y1=2, ctr=1");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ab_experiment WHERE name = 'refused'", Integer.class))
                .isZero();

        type("variants1.modelVersion", "2");
        type("variants1.allocationBps", "500");
        type("variants1.exponents", "y1=2, ctr=1");
        type("variants2.name", "");
        type("variants2.modelVersion", "");
        type("variants2.allocationBps", "");
        click("control-1");
        submit("save-ab");
        assertThat(errorNextTo("variants1.exponents")).contains("the model has no task 'ctr'");
    }

    @Test
    void drawsTheResultsOfAnExperimentThatServedUsers() {
        String surface = ab.surface(ab.modelWithTwoVersions());
        long surfaceId = ab.surfaceId(surface);
        long id = ab.createAndStart(surface);
        List<EventRecord> events = new ArrayList<>();
        Instant now = Instant.now();
        for (int u = 0; u < 30; u++) {
            for (String variant : List.of("control", "treatment")) {
                String user = variant + "-" + u;
                UUID request = UUID.randomUUID();
                jdbc.update(
                        "INSERT INTO rank_request (request_id, surface_id, experiment_id, variant, user_id, model_name,"
                                + " model_version, candidates, returned, oov_values, latency_micros, created_at)"
                                + " VALUES (?, ?, ?, ?, ?, 'm', 1, 10, 1, 0, 3000, now())",
                        request,
                        surfaceId,
                        id,
                        variant,
                        user);
                events.add(new EventRecord(request + ":1", EventType.EXPOSURE, user, "v", request, null, now));
                events.add(new EventRecord(request + ":p", EventType.PLAY, user, "v", request, null, now));
                double seconds = (variant.equals("control") ? 30 : 36) + u % 7;
                events.add(new EventRecord(request + ":w", EventType.WATCH_TIME, user, "v", request, seconds, now));
                // the day before the start: what CUPED adjusts by
                events.add(new EventRecord(
                        request + ":pre",
                        EventType.WATCH_TIME,
                        user,
                        "v",
                        null,
                        20.0 + u % 7,
                        now.minus(Duration.ofDays(1))));
            }
        }
        eventLog.append(events);

        open("/ab-experiments/" + id);

        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> "true".equals(field("ab-results").getAttribute("data-ready")));
        assertThat(field("results").isDisplayed()).isTrue();
        assertThat(field("results-empty").isDisplayed()).isFalse();
        assertThat(field("results-table").getText()).contains("control", "treatment", "30");
        assertThat(browser.findElements(By.cssSelector("#lift-charts .chart"))).isNotEmpty();
        assertThat(field("srm-verdict").getText()).isNotBlank();
        assertThat(field("guardrail-table").getText()).contains("play_rate", "p99_latency_ms");
        assertThat(field("analysis-meaning").getText()).startsWith("Sequential analysis: always-valid");
        WebElement watch = browser.findElement(
                By.cssSelector("#analysis-table tr[data-variant='treatment'][data-metric='watch_time_per_user']"));
        // the pre-exposure watch time repeats the in-experiment pattern (u % 7): CUPED removes most variance
        assertThat(watch.findElement(By.cssSelector("td[data-cuped]")).getAttribute("data-cuped"))
                .isEqualTo("true");
        assertThat(watch.getText()).contains("%");
    }

    @Test
    void plansAnExperimentsSizeFromTheSurfacesEvents() {
        String surface = ab.surface(ab.modelWithTwoVersions());
        long surfaceId = ab.surfaceId(surface);
        List<EventRecord> events = new ArrayList<>();
        Instant at = Instant.now().minus(Duration.ofHours(2));
        for (int u = 0; u < 40; u++) {
            UUID request = UUID.randomUUID();
            jdbc.update(
                    "INSERT INTO rank_request (request_id, surface_id, user_id, model_name, model_version, candidates,"
                            + " returned, oov_values, latency_micros, created_at) VALUES (?, ?, ?, 'm', 1, 10, 1, 0, 3000, now())",
                    request,
                    surfaceId,
                    "planned-" + u);
            events.add(new EventRecord(request + ":1", EventType.EXPOSURE, "planned-" + u, "v", request, null, at));
            events.add(new EventRecord(
                    request + ":w", EventType.WATCH_TIME, "planned-" + u, "v", request, 10.0 + u % 5, at));
        }
        eventLog.append(events);

        open("/ab-experiments/new");
        assertThat(field("power-link").getAttribute("href")).endsWith("/ab-experiments/power");
        open("/ab-experiments/power");
        choose("surface", surface);
        type("duration", "P7D");
        type("trafficShare", "0.5");
        type("targetLiftPercent", "10");
        submit("plan");

        assertThat(field("power-users").getText()).contains("40 users on " + surface, "extrapolated");
        WebElement watch = browser.findElement(By.cssSelector("#power-table tr[data-metric='watch_time_per_user']"));
        assertThat(watch.findElement(By.cssSelector(".mde")).getText()).endsWith("%");
        assertThat(watch.findElement(By.cssSelector(".needed")).getText()).matches("[0-9,]+");

        open("/ab-experiments/power?surface=" + ab.surface(ab.modelWithTwoVersions()));
        assertThat(field("power-errors").getText()).contains("surface:", "planning needs its recent events");
    }
}
