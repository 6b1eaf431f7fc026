package org.parley.content;

import java.util.Objects;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.Utf8;

/**
 * A body part with its disposition and language ({@code ""} or comma-separated RFC 5646 tags); the
 * {@link Part} says whether it is empty, inline, external or a nest of further parts.
 */
public record NestedPart(Disposition disposition, String language, Part part) {
  /** The draft: NestedParts must not be nested more than 4 levels deep (the root is level 1). */
  public static final int MAX_DEPTH = 4;

  /** The draft calls a body of more than 1024 parts nonsensical; Parley refuses it. */
  public static final int MAX_PARTS = 1024;

  public NestedPart {
    Objects.requireNonNull(disposition, "disposition");
    Utf8.requireWellFormed(language, "language");
    Objects.requireNonNull(part, "part");
    if (depth(part) > MAX_DEPTH) {
      throw new IllegalArgumentException("parts nested more than " + MAX_DEPTH + " levels deep");
    }
    if (count(part) > MAX_PARTS) {
      throw new IllegalArgumentException("more than " + MAX_PARTS + " parts");
    }
  }

  public static NestedPart single(Disposition disposition, String contentType, byte[] content) {
    return new NestedPart(disposition, "", new SinglePart(contentType, ByteString.of(content)));
  }

  public static NestedPart none(Disposition disposition) {
    return new NestedPart(disposition, "", NullPart.INSTANCE);
  }

  /** Levels of nesting, this part being level 1. */
  public int depth() {
    return depth(part);
  }

  /** This part and all below it, i.e. the number of implied part indexes it spans. */
  public int partCount() {
    return count(part);
  }

  private static int depth(Part part) {
    return part instanceof MultiPart multi ? 1 + multi.maxChildDepth() : 1;
  }

  private static int count(Part part) {
    return part instanceof MultiPart multi ? 1 + multi.childCount() : 1;
  }
}
