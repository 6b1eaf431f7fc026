package org.parley.server.kt;

import java.util.Objects;
import org.parley.protocol.AccountId;

/**
 * An account whose device list changed since it was last published. {@code seq} identifies the
 * latest change: publishing removes the row only if it still holds this seq, so a change made while
 * an epoch was being built stays pending for the next one.
 */
public record KtPending(AccountId account, long seq) {
  public KtPending {
    Objects.requireNonNull(account, "account");
  }
}
