package org.parley.server.kt;

/**
 * The right to publish the key-transparency log. Several servers may share one database; only the
 * holder of this lease stages, signs and stores entries, the others follow what it stored. Two
 * publishers would each sign a head for the same position; the store's position check keeps the
 * second from storing it, and the lease keeps it from trying. A lease must end with its holder (a
 * killed server's lease is free at once, a partitioned one's within a bounded time), and a store
 * that checks the lease inside each append ({@link KtStore#append}) refuses an append from a server
 * that lost it, so a holder that lost its lease cannot publish once somebody else can.
 */
public interface PublisherLease extends AutoCloseable {
  /** The lease of a store that only one server can open (SQLite: the data-directory lock). */
  PublisherLease SOLE =
      new PublisherLease() {
        @Override
        public boolean hold() {
          return true;
        }

        @Override
        public void close() {}
      };

  /**
   * Whether this server holds the lease now: keeps it if held and still valid, takes it if free.
   * Never throws; a failure to reach the database is "not held".
   */
  boolean hold();

  /** Gives the lease up (if held), so another server can take it at once. */
  @Override
  void close();
}
