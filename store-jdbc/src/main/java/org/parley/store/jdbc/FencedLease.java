package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import org.parley.server.kt.PublisherLease;

/** A publisher lease that each key-transparency append checks inside its own transaction. */
public interface FencedLease extends PublisherLease {
  /**
   * Runs first in the append's transaction, on its connection.
   *
   * @throws org.parley.server.kt.LeaseLostException if this server does not hold the lease now
   */
  void verify(Connection c) throws SQLException;
}
