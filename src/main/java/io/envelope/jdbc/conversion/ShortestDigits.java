package io.envelope.jdbc.conversion;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The digits PostgreSQL prints for a float8 or float4 (float8out/float4out since PostgreSQL 12): its copy of the
 * Ryū algorithm (src/common/d2s.c, f2s.c), which finds the shortest decimal strictly inside the value's rounding
 * interval. "Shortest that reads back as the same value" is not the same thing: PostgreSQL never prints the exact
 * midpoint between two floats (it builds Ryū with STRICTLY_SHORTEST off), and Ryū rounds a removed 5 up unless it
 * knows the digits after it were zero. This follows the same steps with exact BigInteger arithmetic in place of
 * Ryū's 64-bit multiplication tables (slower, and only used when a getter needs the text of a float).
 */
final class ShortestDigits {

    private ShortestDigits() {
    }

    /** The digits of a finite, nonzero {@code |value|} as PostgreSQL's float8out finds them. */
    static BigDecimal ofDouble(double value) {
        long bits = Double.doubleToRawLongBits(value);
        int ieeeExponent = (int) ((bits >>> 52) & 0x7ff);
        long ieeeMantissa = bits & 0xfffffffffffffL;
        BigDecimal smallInt = smallInt(ieeeMantissa, ieeeExponent - 1023 - 52, 52);
        if (smallInt != null) {
            return smallInt;
        }
        int e2 = (ieeeExponent == 0 ? 1 : ieeeExponent) - 1023 - 52 - 2;
        long m2 = ieeeExponent == 0 ? ieeeMantissa : (1L << 52) | ieeeMantissa;
        boolean mmShift = ieeeMantissa != 0 || ieeeExponent <= 1;
        int q = e2 >= 0 ? log10Pow2(e2) - (e2 > 3 ? 1 : 0) : log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
        return digits(m2, e2, mmShift, q, e2 >= 0 ? 21 : 63, false);
    }

    /** The digits of a finite, nonzero {@code |value|} as PostgreSQL's float4out finds them. */
    static BigDecimal ofFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int ieeeExponent = (bits >>> 23) & 0xff;
        long ieeeMantissa = bits & 0x7fffff;
        BigDecimal smallInt = smallInt(ieeeMantissa, ieeeExponent - 127 - 23, 23);
        if (smallInt != null) {
            return smallInt;
        }
        int e2 = (ieeeExponent == 0 ? 1 : ieeeExponent) - 127 - 23 - 2;
        long m2 = ieeeExponent == 0 ? ieeeMantissa : (1L << 23) | ieeeMantissa;
        boolean mmShift = ieeeMantissa != 0 || ieeeExponent <= 1;
        int q = e2 >= 0 ? log10Pow2(e2) : log10Pow5(-e2);
        return digits(m2, e2, mmShift, q, e2 >= 0 ? 9 : 31, true);
    }

    /** Ryū's fast path: an integer in [1, 2^(mantissaBits+1)) is printed as that integer. */
    private static BigDecimal smallInt(long ieeeMantissa, int e2, int mantissaBits) {
        if (e2 < -mantissaBits || e2 > 0 || (ieeeMantissa & ((1L << -e2) - 1)) != 0) {
            return null;
        }
        return BigDecimal.valueOf(((1L << mantissaBits) | ieeeMantissa) >> -e2);
    }

    /**
     * Ryū's main step: {@code vr}, {@code vp}, {@code vm} are the value and its interval bounds scaled by 10^-e10,
     * then digits are removed while the bounds still differ in the remaining ones. The bounds are never accepted.
     *
     * @param exactLimit up to which q Ryū tests for trailing zeros (21 and 63 for double, 9 and 31 for float)
     * @param isFloat    f2s also computes the first removed digit up front
     */
    private static BigDecimal digits(long m2, int e2, boolean mmShift, int q, int exactLimit, boolean isFloat) {
        BigInteger mv = BigInteger.valueOf(4 * m2);
        BigInteger mp = BigInteger.valueOf(4 * m2 + 2);
        BigInteger mm = BigInteger.valueOf(4 * m2 - 1 - (mmShift ? 1 : 0));
        BigInteger vr;
        BigInteger vp;
        BigInteger vm;
        int e10;
        boolean vrIsTrailingZeros = false;
        int lastRemovedDigit = 0;
        if (e2 >= 0) {
            e10 = q;
            BigInteger two = BigInteger.ONE.shiftLeft(e2);
            BigInteger scale = BigInteger.TEN.pow(q);
            vr = mv.multiply(two).divide(scale);
            vp = mp.multiply(two).divide(scale);
            vm = mm.multiply(two).divide(scale);
            if (isFloat && q != 0 && lastDigitNeeded(vp, vm)) {
                lastRemovedDigit = mv.multiply(two).divide(BigInteger.TEN.pow(q - 1)).mod(BigInteger.TEN).intValue();
            }
            if (q <= exactLimit) {
                if (mv.mod(FIVE).signum() == 0) {
                    vrIsTrailingZeros = multipleOfPowerOf5(mv, q);
                } else if (multipleOfPowerOf5(mp, q)) {
                    vp = vp.subtract(BigInteger.ONE);
                }
            }
        } else {
            e10 = q + e2;
            int i = -e2 - q;
            BigInteger five = FIVE.pow(i);
            vr = mv.multiply(five).shiftRight(q);
            vp = mp.multiply(five).shiftRight(q);
            vm = mm.multiply(five).shiftRight(q);
            if (isFloat && q != 0 && lastDigitNeeded(vp, vm)) {
                lastRemovedDigit = mv.multiply(five.multiply(FIVE)).shiftRight(q - 1).mod(BigInteger.TEN).intValue();
            }
            if (q <= 1) {
                vrIsTrailingZeros = true;
                vp = vp.subtract(BigInteger.ONE);
            } else if (q < exactLimit) {
                vrIsTrailingZeros = mv.getLowestSetBit() >= q - 1;
            }
        }
        int removed = 0;
        while (vp.divide(BigInteger.TEN).compareTo(vm.divide(BigInteger.TEN)) > 0) {
            vrIsTrailingZeros &= lastRemovedDigit == 0;
            lastRemovedDigit = vr.mod(BigInteger.TEN).intValue();
            vr = vr.divide(BigInteger.TEN);
            vp = vp.divide(BigInteger.TEN);
            vm = vm.divide(BigInteger.TEN);
            removed++;
        }
        if (vrIsTrailingZeros && lastRemovedDigit == 5 && !vr.testBit(0)) {
            lastRemovedDigit = 4; // the exact value is ...50...0: round to even
        }
        boolean up = vr.equals(vm) || lastRemovedDigit >= 5;
        return new BigDecimal(up ? vr.add(BigInteger.ONE) : vr, -(e10 + removed));
    }

    private static final BigInteger FIVE = BigInteger.valueOf(5);

    private static boolean lastDigitNeeded(BigInteger vp, BigInteger vm) {
        return vp.subtract(BigInteger.ONE).divide(BigInteger.TEN).compareTo(vm.divide(BigInteger.TEN)) <= 0;
    }

    /** floor(e · log10(2)), as Ryū computes it. */
    private static int log10Pow2(int e) {
        return (int) (((long) e * 78913) >>> 18);
    }

    /** floor(e · log10(5)), as Ryū computes it. */
    private static int log10Pow5(int e) {
        return (int) (((long) e * 732923) >>> 20);
    }

    private static boolean multipleOfPowerOf5(BigInteger value, int p) {
        return value.mod(FIVE.pow(p)).signum() == 0;
    }
}
