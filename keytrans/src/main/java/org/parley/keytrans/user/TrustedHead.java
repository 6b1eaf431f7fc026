package org.parley.keytrans.user;

import java.util.Objects;
import org.parley.keytrans.combined.RetainedView;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.log.HashValue;

/**
 * The last tree head a user verified, with what it retains of that tree (draft "User
 * Operations": users retain the most recent head and advertise its size as {@code last}).
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
}
