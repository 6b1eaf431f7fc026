package org.parley.protocol.kt;

import java.util.List;

/** GET /v1/kt/auditor-heads: the latest head of each independent auditor the server keeps. */
public record AuditorHeads(List<AuditorHead> heads) {
  public AuditorHeads {
    heads = heads == null ? List.of() : List.copyOf(heads);
  }
}
