package org.parley.content;

/** The cardinality-specific rest of a {@link NestedPart}. */
public sealed interface Part permits NullPart, SinglePart, ExternalPart, MultiPart {
  /** The draft's cardinality number that introduces this part on the wire. */
  int cardinality();
}
