package org.parley.keytrans.combined;

import java.util.Objects;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.LogEntry;

/** What a user retains of one log entry on the frontier: its timestamp and prefix-tree root. */
public record EntryData(long timestamp, HashValue prefixRoot) {
  public EntryData {
    Objects.requireNonNull(prefixRoot, "prefixRoot");
  }

  /** The log entry these make up. */
  public LogEntry logEntry() {
    return new LogEntry(timestamp, prefixRoot);
  }
}
