package org.parley.content;

/** How a receiver treats the parts of a {@link MultiPart}. */
public enum PartSemantics {
  /** Pick exactly one part, by the receiver's own preference (like multipart/alternative). */
  CHOOSE_ONE(0),
  /** All parts form one unit; if any is not understood, process none (like multipart/related). */
  SINGLE_UNIT(1),
  /** Process as many parts as possible, each on its own (like multipart/mixed). */
  PROCESS_ALL(2);

  private final int code;

  PartSemantics(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static PartSemantics ofCode(long code) {
    for (PartSemantics s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown partSemantics " + code);
  }
}
