package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Checks a whole {@link ScheduleRequest} in one pass and reports every broken rule. */
final class ScheduleRequestValidator {

    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 2000;

    private ScheduleRequestValidator() {}

    /** A request that passed every rule: trimmed name and description, the parsed spec. */
    record ValidSchedule(String name, String description, LossWeightSpec spec) {}

    static ValidSchedule validate(ScheduleRequest request, JsonMapper json) {
        List<FieldViolation> violations = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) {
            violations.add(new FieldViolation("name", "required", "must not be blank"));
        } else if (name.length() > MAX_NAME) {
            violations.add(new FieldViolation("name", "max-length", "must be at most " + MAX_NAME + " characters"));
        }
        String description =
                request.description() == null ? "" : request.description().strip();
        if (description.length() > MAX_DESCRIPTION) {
            violations.add(new FieldViolation(
                    "description", "max-length", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        new SpecValidator(violations).check(request.spec());
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new ValidSchedule(name, description, parse(request, json));
    }

    /** Only reached for a spec every rule accepted, which the engine's JSON binding also accepts. */
    private static LossWeightSpec parse(ScheduleRequest request, JsonMapper json) {
        try {
            return json.treeToValue(request.spec(), LossWeightSpec.class);
        } catch (JacksonException e) {
            throw new InvalidInputException(new FieldViolation("spec", "type", e.getOriginalMessage()));
        }
    }
}
