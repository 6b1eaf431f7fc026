package org.parley.server.storage;

import org.parley.server.account.AccountStore;
import org.parley.server.device.DeviceStore;
import org.parley.server.kt.KtStore;
import org.parley.server.kt.PublisherLease;
import org.parley.server.link.LinkStore;
import org.parley.server.message.MessageQueue;
import org.parley.server.prekey.PreKeyStore;

/**
 * One storage backend: every feature store over the same database, so that cross-feature steps
 * (registration, linking, device removal) are single transactions.
 */
public interface Store extends AutoCloseable {
  AccountStore accounts();

  DeviceStore devices();

  PreKeyStore preKeys();

  MessageQueue messages();

  LinkStore links();

  KtStore kt();

  org.parley.server.sealed.DeliveryCredentialStore deliveryCredentials();

  /**
   * Who publishes the key-transparency log among the servers sharing this store: {@link
   * PublisherLease#SOLE} for a store only one server can open.
   */
  default PublisherLease publisherLease() {
    return PublisherLease.SOLE;
  }

  /** Whether writes fail for lack of space (GET /v1/health). */
  StorageHealth health();

  @Override
  void close();
}
