package io.fulcrum.system;

import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.validation.BindingResult;

/**
 * Shows the violations a service reported next to the form fields they concern, so the dashboard
 * and the REST API share one set of rules. A violation whose field the form does not have becomes a
 * message at the top of the form.
 */
public final class FormErrors {

    private FormErrors() {}

    /** @param formField maps an API field path to the form's, or to null when the form has no such field */
    public static void reject(BindingResult binding, List<FieldViolation> violations, UnaryOperator<String> formField) {
        for (FieldViolation violation : violations) {
            String field = formField.apply(violation.field());
            if (field != null && isFormField(binding, field)) {
                if (!binding.hasFieldErrors(field)) {
                    binding.rejectValue(field, "fulcrum." + violation.rule(), violation.message());
                }
            } else {
                binding.reject("fulcrum." + violation.rule(), violation.field() + ": " + violation.message());
            }
        }
    }

    private static boolean isFormField(BindingResult binding, String field) {
        try {
            return binding.getFieldType(field) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
