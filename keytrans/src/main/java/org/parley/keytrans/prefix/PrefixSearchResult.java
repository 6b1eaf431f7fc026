package org.parley.keytrans.prefix;

/**
 * The draft's {@code PrefixSearchResult}: where the search for one key ended, and at what depth.
 *
 * <pre>
 * enum { reserved(0), inclusion(1), nonInclusionLeaf(2), nonInclusionParent(3), (255) }
 *     PrefixSearchResultType;
 *
 * struct {
 *   PrefixSearchResultType result_type;
 *   select (PrefixSearchResult.result_type) {
 *     case nonInclusionLeaf:
 *       PrefixLeaf leaf;
 *   };
 *   uint8 depth;
 * } PrefixSearchResult;
 * </pre>
 */
public sealed interface PrefixSearchResult {
  /** The largest depth a {@code uint8} can carry. */
  int MAX_DEPTH = 255;

  /** The {@code PrefixSearchResultType} code point. */
  int resultType();

  /** The depth of the terminal node (for a missing child: of the stand-in leaf); root = 0. */
  int depth();

  /** A leaf for the searched key, at {@code depth}. */
  record Inclusion(int depth) implements PrefixSearchResult {
    public Inclusion {
      checkDepth(depth);
    }

    @Override
    public int resultType() {
      return 1;
    }
  }

  /** A leaf for another key, at {@code depth}, where the searched key would have been. */
  record NonInclusionLeaf(PrefixLeaf leaf, int depth) implements PrefixSearchResult {
    public NonInclusionLeaf {
      if (leaf == null) {
        throw new NullPointerException("leaf");
      }
      checkDepth(depth);
    }

    @Override
    public int resultType() {
      return 2;
    }
  }

  /**
   * A parent lacking the child the search needed; {@code depth} is that missing child's (0 for the
   * empty tree, whose root is missing).
   */
  record NonInclusionParent(int depth) implements PrefixSearchResult {
    public NonInclusionParent {
      checkDepth(depth);
    }

    @Override
    public int resultType() {
      return 3;
    }
  }

  private static void checkDepth(int depth) {
    if (depth < 0 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("depth out of uint8 range: " + depth);
    }
  }
}
