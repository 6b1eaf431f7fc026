package org.parley.keytrans.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FullSubtrees#append} against the full log tree, size by size. */
class FullSubtreesAppendTest {
  static final LogTreeHash HASH = LogTreeHash.SHA256;

  static HashValue prefixRoot(int i) {
    byte[] b = new byte[32];
    b[0] = (byte) i;
    b[1] = (byte) (i >>> 8);
    return HashValue.of(b);
  }

  @Test
  void appendingLeafByLeafMatchesTheTree() {
    LogTree tree = new LogTree(HASH);
    FullSubtrees incremental = null;
    for (int i = 0; i < 600; i++) {
      LogEntry entry = new LogEntry(1000L * i, prefixRoot(i));
      tree.append(entry);
      HashValue leaf = HASH.leafValue(entry);
      incremental =
          incremental == null ? new FullSubtrees(1, List.of(leaf)) : incremental.append(HASH, leaf);
      assertThat(incremental).isEqualTo(tree.fullSubtrees(i + 1));
      assertThat(incremental.root(HASH)).isEqualTo(tree.root(i + 1));
    }
  }

  @Test
  void aLeafOfAnotherLengthIsRefused() {
    FullSubtrees one = new FullSubtrees(1, List.of(prefixRoot(1)));
    assertThatThrownBy(() -> one.append(HASH, HashValue.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
