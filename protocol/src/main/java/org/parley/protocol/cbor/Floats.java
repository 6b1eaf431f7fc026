package org.parley.protocol.cbor;

/** Float width decisions shared by reader and writer, so both agree on "shortest exact". */
final class Floats {
  private Floats() {}

  /** True when the narrower value is the same number, including the sign of zero. */
  static boolean sameBits(double narrower, double value) {
    return Double.doubleToRawLongBits(narrower) == Double.doubleToRawLongBits(value);
  }

  static boolean fitsHalf(double value) {
    return sameBits(Float.float16ToFloat(Float.floatToFloat16((float) value)), value);
  }

  static boolean fitsSingle(double value) {
    return sameBits((float) value, value);
  }
}
