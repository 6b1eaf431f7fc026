package org.parley.content;

import java.util.List;
import java.util.Objects;

/** Two or more nested parts related as {@link PartSemantics} says. */
public record MultiPart(PartSemantics partSemantics, List<NestedPart> parts) implements Part {
  public MultiPart {
    Objects.requireNonNull(partSemantics, "partSemantics");
    parts = List.copyOf(parts);
    if (parts.size() < 2) {
      throw new IllegalArgumentException("a MultiPart needs at least two parts");
    }
  }

  @Override
  public int cardinality() {
    return 3;
  }

  int maxChildDepth() {
    return parts.stream().mapToInt(NestedPart::depth).max().orElse(0);
  }

  int childCount() {
    return parts.stream().mapToInt(NestedPart::partCount).sum();
  }
}
