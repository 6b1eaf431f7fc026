package org.parley.keytrans.user;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.parley.keytrans.combined.EntryData;
import org.parley.keytrans.combined.RetainedView;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.log.FullSubtrees;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * The last tree head a user verified, with what it retains of that tree (draft "User Operations":
 * users retain the most recent head and advertise its size as {@code last}).
 *
 * @param head the signed head
 * @param root the log root it signs, recomputed by the user
 * @param view the full subtrees and frontier entries retained
 */
public record TrustedHead(TreeHead head, HashValue root, RetainedView view) {
  public TrustedHead {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(view, "view");
    if (head.treeSize() != view.treeSize()) {
      throw new IllegalArgumentException("head and retained view are of different sizes");
    }
  }

  public long treeSize() {
    return head.treeSize();
  }

  /**
   * The bytes a client stores: {@code TreeHead | root[Nh] | heads of the full subtrees (as many as
   * the size has one bits) | u8 n, n * (u64 position, u64 timestamp, prefix_root[Nh])}.
   */
  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    head.writeTo(out);
    out.fixed(root.toByteArray());
    view.fullSubtrees().heads().forEach(h -> out.fixed(h.toByteArray()));
    out.u8(view.frontier().size());
    view.frontier()
        .forEach(
            (position, data) ->
                out.u64(position).u64(data.timestamp()).fixed(data.prefixRoot().toByteArray()));
    return out.toByteArray();
  }

  /** Reads what {@link #encode} wrote; anything else is malformed. */
  public static TrustedHead decode(byte[] bytes) throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    TreeHead head = TreeHead.readFrom(in);
    HashValue root = HashValue.of(in.fixed(CipherSuite.NH));
    List<HashValue> heads = new ArrayList<>();
    for (int i = 0; i < Long.bitCount(head.treeSize()); i++) {
      heads.add(HashValue.of(in.fixed(CipherSuite.NH)));
    }
    int count = in.u8();
    Map<Long, EntryData> frontier = new TreeMap<>();
    long previous = -1;
    for (int i = 0; i < count; i++) {
      long position = in.u64();
      // encode writes the map in order, once per position; a map would fold anything else in.
      if (position <= previous) {
        throw new MalformedEncodingException("frontier positions must ascend, each once");
      }
      previous = position;
      frontier.put(position, new EntryData(in.u64(), HashValue.of(in.fixed(CipherSuite.NH))));
    }
    in.end();
    try {
      return new TrustedHead(
          head,
          root,
          new RetainedView(
              head.treeSize(), new FullSubtrees(head.treeSize(), heads), new TreeMap<>(frontier)));
    } catch (IllegalArgumentException e) {
      throw new MalformedEncodingException("stored head is inconsistent: " + e.getMessage());
    }
  }
}
