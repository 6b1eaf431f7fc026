package org.parley.content;

/** No content at all: the body of a delete or an unlike. */
public record NullPart() implements Part {
  public static final NullPart INSTANCE = new NullPart();

  @Override
  public int cardinality() {
    return 0;
  }
}
