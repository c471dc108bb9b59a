package io.fulcrum.rollout.web;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers as the A/B pages show them: 5 rather than 5.0, 0.5 as it is, no binary noise. */
public final class PageNumbers {

    private static final MathContext SHOWN = new MathContext(10);

    public String percent(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).round(SHOWN).stripTrailingZeros().toPlainString();
    }
}
