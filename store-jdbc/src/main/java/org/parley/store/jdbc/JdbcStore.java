package org.parley.store.jdbc;

import org.parley.server.account.AccountStore;
import org.parley.server.device.DeviceStore;
import org.parley.server.kt.KtStore;
import org.parley.server.kt.PublisherLease;
import org.parley.server.link.LinkStore;
import org.parley.server.message.MessageQueue;
import org.parley.server.prekey.PreKeyStore;
import org.parley.server.storage.StorageHealth;
import org.parley.server.storage.Store;

/**
 * The feature stores over one SQL database. The SQL is shared by SQLite and PostgreSQL (both speak
 * upserts and {@code DELETE ... RETURNING}); what differs is how transactions run ({@link
 * Transactions}) and which row locks a step takes ({@link Dialect}).
 */
public final class JdbcStore implements Store {
  private final Transactions transactions;
  private final JdbcAccountStore accounts;
  private final JdbcDeviceStore devices;
  private final JdbcPreKeyStore preKeys;
  private final JdbcMessageQueue messages;
  private final JdbcLinkStore links;
  private final JdbcKtStore kt;
  private final JdbcDeliveryCredentialStore deliveryCredentials;
  private final StorageHealth health = new StorageHealth();
  private final FencedLease lease;

  /** A store only one server opens: it publishes the key-transparency log alone. */
  public JdbcStore(Transactions backend, Dialect dialect) {
    this(backend, dialect, null);
  }

  /** A store several servers may share; {@code lease} says which one publishes the log. */
  public JdbcStore(Transactions backend, Dialect dialect, FencedLease lease) {
    this.lease = lease;
    Transactions transactions = new WatchedTransactions(backend, dialect, health);
    this.transactions = transactions;
    this.accounts = new JdbcAccountStore(transactions, dialect);
    this.devices = new JdbcDeviceStore(transactions, dialect);
    this.preKeys = new JdbcPreKeyStore(transactions, dialect);
    this.messages = new JdbcMessageQueue(transactions, dialect, "store");
    this.links = new JdbcLinkStore(transactions, dialect);
    this.kt = new JdbcKtStore(transactions, dialect, lease);
    this.deliveryCredentials = new JdbcDeliveryCredentialStore(transactions);
  }

  @Override
  public AccountStore accounts() {
    return accounts;
  }

  @Override
  public DeviceStore devices() {
    return devices;
  }

  @Override
  public PreKeyStore preKeys() {
    return preKeys;
  }

  @Override
  public MessageQueue messages() {
    return messages;
  }

  @Override
  public LinkStore links() {
    return links;
  }

  @Override
  public KtStore kt() {
    return kt;
  }

  @Override
  public org.parley.server.sealed.DeliveryCredentialStore deliveryCredentials() {
    return deliveryCredentials;
  }

  @Override
  public PublisherLease publisherLease() {
    return lease == null ? PublisherLease.SOLE : lease;
  }

  @Override
  public StorageHealth health() {
    return health;
  }

  @Override
  public void close() {
    messages.close(); // first: a send still waiting is refused, not left without an answer
    if (lease != null) {
      lease.close();
    }
    transactions.close();
  }
}
