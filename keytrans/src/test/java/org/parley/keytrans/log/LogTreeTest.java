package org.parley.keytrans.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTreeTest {
  static final int MAX = 300;

  static LogEntry entry(int i) {
    byte[] prefixRoot = BruteForceLogTree.sha256(ByteBuffer.allocate(4).putInt(i).array());
    return new LogEntry(1_700_000_000_000L + 1000L * i, HashValue.of(prefixRoot));
  }

  @Test
  void leafValueIsHashOfTlsEncodedLogEntry() {
    LogEntry e = entry(7);
    byte[] encoded = e.encode();
    assertThat(encoded).hasSize(40);
    assertThat(ByteBuffer.wrap(encoded).getLong()).isEqualTo(e.timestamp());
    assertThat(LogTreeHash.SHA256.leafValue(e).toByteArray())
        .isEqualTo(BruteForceLogTree.leaf(e.timestamp(), e.prefixTree().toByteArray()));
  }

  @Test
  void everyPrefixRootMatchesTheBruteForceModel() {
    LogTree tree = new LogTree(LogTreeHash.SHA256);
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < MAX; i++) {
      LogEntry e = entry(i);
      assertThat(tree.append(e)).isEqualTo(i);
      leaves.add(BruteForceLogTree.leaf(e.timestamp(), e.prefixTree().toByteArray()));
      // the root right after appending, and (below) every earlier size from the final tree
      assertThat(tree.root(i + 1).toByteArray()).isEqualTo(BruteForceLogTree.root(leaves, i + 1));
    }
    for (int n = 1; n <= MAX; n++) {
      assertThat(tree.root(n).toByteArray())
          .as("size %d", n)
          .isEqualTo(BruteForceLogTree.root(leaves, n));
      assertThat(tree.fullSubtrees(n).root(LogTreeHash.SHA256)).isEqualTo(tree.root(n));
      for (Subtree s : LogTreeMath.fullSubtrees(n)) {
        assertThat(tree.value(s).toByteArray())
            .isEqualTo(BruteForceLogTree.value(leaves, (int) s.start(), (int) s.size()));
      }
    }
  }

  @Test
  void singleLeafTreeRootIsTheLeafValue() {
    LogTree tree = new LogTree(LogTreeHash.SHA256);
    tree.append(entry(0));
    assertThat(tree.root(1)).isEqualTo(LogTreeHash.SHA256.leafValue(entry(0)));
  }

  @Test
  void parentHashingPrefixesEachChildByItsKind() {
    // The draft's hashContent: 0x00 || leaf value, 0x01 || parent value; not RFC 6962.
    LogTree tree = new LogTree(LogTreeHash.SHA256);
    for (int i = 0; i < 3; i++) {
      tree.append(entry(i));
    }
    byte[] l0 = tree.leafValue(0).toByteArray();
    byte[] l1 = tree.leafValue(1).toByteArray();
    byte[] l2 = tree.leafValue(2).toByteArray();
    byte[] p01 = BruteForceLogTree.sha256(concat(new byte[] {0}, l0, new byte[] {0}, l1));
    byte[] root = BruteForceLogTree.sha256(concat(new byte[] {1}, p01, new byte[] {0}, l2));
    assertThat(tree.root(3).toByteArray()).isEqualTo(root);
  }

  @Test
  void rejectsValuesBeyondTheTreeAndWrongLengths() {
    LogTree tree = new LogTree(LogTreeHash.SHA256);
    tree.append(entry(0));
    assertThatThrownBy(() -> tree.root(2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.appendLeafValue(HashValue.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.prove(ProofScope.inclusion(2, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void logEntryRoundTripsAndRejectsWrongLengths() throws Exception {
    LogEntry e = entry(3);
    assertThat(LogEntry.decode(e.encode(), 32)).isEqualTo(e);
    assertThatThrownBy(() -> LogEntry.decode(new byte[39], 32))
        .isInstanceOf(MalformedEncodingException.class);
    assertThatThrownBy(() -> LogEntry.decode(new byte[41], 32))
        .isInstanceOf(MalformedEncodingException.class);
  }

  static byte[] concat(byte[]... parts) {
    ByteBuffer b =
        ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
