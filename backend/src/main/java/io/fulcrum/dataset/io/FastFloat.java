package io.fulcrum.dataset.io;

/**
 * Parses decimal numbers straight from a line of text, without a string per field. Plain forms
 * ({@code -12.5}, {@code 3e-4}) with at most 15 significant digits and a small exponent are computed
 * exactly in double and then rounded to float; anything else goes to {@link Float#parseFloat}.
 */
final class FastFloat {

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    private FastFloat() {}

    /** The number in {@code text[start, end)}, surrounding blanks ignored; NaN when it is not a finite number. */
    static float parse(CharSequence text, int start, int end) {
        while (start < end && text.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && text.charAt(end - 1) <= ' ') {
            end--;
        }
        if (start == end) {
            return Float.NaN;
        }
        int i = start;
        boolean negative = false;
        char c = text.charAt(i);
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean anyDigit = false;
        for (; i < end && (c = text.charAt(i)) >= '0' && c <= '9'; i++) {
            anyDigit = true;
            if (mantissa != 0 || c != '0') {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
            }
        }
        if (i < end && text.charAt(i) == '.') {
            for (i++; i < end && (c = text.charAt(i)) >= '0' && c <= '9'; i++) {
                anyDigit = true;
                if (mantissa != 0 || c != '0') {
                    mantissa = mantissa * 10 + (c - '0');
                    digits++;
                }
                exponent--;
            }
        }
        if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E') && anyDigit) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
                negativeExponent = text.charAt(i) == '-';
                i++;
            }
            int value = 0;
            boolean exponentDigits = false;
            for (; i < end && (c = text.charAt(i)) >= '0' && c <= '9' && value < 10_000; i++) {
                value = value * 10 + (c - '0');
                exponentDigits = true;
            }
            if (!exponentDigits) {
                return slow(text, start, end);
            }
            exponent += negativeExponent ? -value : value;
        }
        if (!anyDigit || i != end || digits > 15 || exponent < -22 || exponent > 22) {
            return slow(text, start, end);
        }
        double value = exponent < 0 ? mantissa / POWERS_OF_TEN[-exponent] : mantissa * POWERS_OF_TEN[exponent];
        float result = (float) (negative ? -value : value);
        return Float.isFinite(result) ? result : Float.NaN;
    }

    private static float slow(CharSequence text, int start, int end) {
        try {
            float value = Float.parseFloat(text.subSequence(start, end).toString());
            return Float.isFinite(value) ? value : Float.NaN;
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }
}
