package dev.lockstep.secrets;

import java.math.BigDecimal;

/** Scalars as sops (Go) writes them into its MAC: the bytes must match exactly. */
final class GoText {
    private GoText() {}

    /** {@code strconv.FormatFloat(f, 'f', -1, 64)}: shortest digits, never an exponent. */
    static String formatFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** sops' MAC form of a boolean. */
    static String formatBool(boolean value) {
        return value ? "True" : "False";
    }

    /** A leaf as the MAC sees it; null for a value sops does not hash. */
    static String macText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return formatBool(b);
        }
        if (value instanceof Double d) {
            return formatFloat(d);
        }
        if (value instanceof Float f) {
            return formatFloat(f.doubleValue());
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        return null;
    }
}
