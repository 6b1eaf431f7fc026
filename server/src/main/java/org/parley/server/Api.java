package org.parley.server;

import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import org.parley.crypto.SenderCertificates;
import org.parley.crypto.Signatures;
import org.parley.protocol.meta.ServerInfo;
import org.parley.server.account.AccountHandler;
import org.parley.server.account.AccountService;
import org.parley.server.auth.Authenticator;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.delivery.WebSocketEndpoint;
import org.parley.server.device.DeviceHandler;
import org.parley.server.device.DeviceService;
import org.parley.server.http.RateLimiter;
import org.parley.server.http.RateLimits;
import org.parley.server.kt.KtHandler;
import org.parley.server.kt.KtService;
import org.parley.server.kt.OperatorHook;
import org.parley.server.link.LinkHandler;
import org.parley.server.link.LinkService;
import org.parley.server.message.MessageHandler;
import org.parley.server.message.MessageService;
import org.parley.server.meta.MetaHandler;
import org.parley.server.prekey.PreKeyHandler;
import org.parley.server.prekey.PreKeyService;
import org.parley.server.sealed.SealedSenderHandler;
import org.parley.server.storage.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires each feature's service and handler over the store and the bus. */
record Api(
    MetaHandler meta,
    AccountHandler accounts,
    DeviceHandler devices,
    PreKeyHandler preKeys,
    MessageHandler messages,
    LinkHandler links,
    LinkService linkService,
    WebSocketEndpoint webSocket,
    KtHandler keyTransparency,
    SealedSenderHandler sealedSender,
    OperatorHook hook,
    OperatorHook.Parts hookParts,
    KtService kt) {
  private static final Logger LOG = LoggerFactory.getLogger(Api.class);

  /**
   * @param hook what answers pass through ({@link OperatorHook#NONE} but in tests)
   */
  static Api create(
      ServerConfig config,
      Store store,
      DeliveryBus bus,
      Clock clock,
      KtService kt,
      SenderCertificates certificates,
      OperatorHook hook) {
    var auth = new Authenticator(store.accounts(), store.devices(), bus);
    RateLimits limits = config.limits();
    var registrations = new RateLimiter(limits.registrationsPerHour(), clock);
    var minute = Duration.ofMinutes(1);
    var linkService =
        new LinkService(store.links(), store.accounts(), bus, config.linkTtl(), clock, kt::changed);
    var messageService =
        new MessageService(store.accounts(), store.messages(), bus, clock, hook::delivered, limits);
    var ktHandler = new KtHandler(auth, kt, hook);
    var preKeyService =
        new PreKeyService(store.accounts(), store.devices(), store.preKeys(), bus, limits, clock);
    return new Api(
        new MetaHandler(new ServerInfo(config.domain(), ParleyServer.VERSION), store.health()),
        new AccountHandler(
            auth,
            new AccountService(
                config.domain(), store.accounts(), store.devices(), clock, kt::changed),
            registrations,
            new RateLimiter(limits.handleLookupsPerMinute(), minute, clock),
            new RateLimiter(limits.deviceListsPerMinute(), minute, clock),
            hook::directory,
            hook::ownDevices,
            hook::registered,
            new AccountHandler.Bundled() {
              @Override
              public org.parley.keytrans.message.SearchRequest request(
                  org.parley.keytrans.commit.Label label, String encoded) {
                return ktHandler.bundledSearchRequest(label, encoded);
              }

              @Override
              public java.util.Optional<byte[]> search(
                  org.parley.keytrans.message.SearchRequest request) {
                return ktHandler.bundledSearch(request);
              }

              @Override
              public java.util.Optional<java.util.List<org.parley.protocol.keys.DeviceBundle>>
                  bundles(
                      org.parley.server.auth.AuthenticatedDevice caller,
                      org.parley.protocol.AccountId account) {
                return preKeyService.bundled(caller, account);
              }
            }),
        new DeviceHandler(auth, new DeviceService(store.devices(), bus, kt::changed)),
        new PreKeyHandler(auth, preKeyService),
        new MessageHandler(
            auth,
            messageService,
            new org.parley.server.message.EphemeralSends(
                store.devices(), bus, clock, limits.sendsPerSenderPerMinute())),
        new LinkHandler(
            auth, linkService, registrations, new RateLimiter(limits.linkLookupsPerHour(), clock)),
        linkService,
        new WebSocketEndpoint(
            auth,
            store.devices(),
            store.messages(),
            store.preKeys(),
            bus,
            hook::delivered,
            messageService),
        ktHandler,
        new SealedSenderHandler(
            auth, certificates, store.deliveryCredentials(), messageService, limits, clock, hook),
        hook,
        new OperatorHook.Parts(store, bus, clock, kt),
        kt);
  }

  void install(Javalin app) {
    meta.install(app);
    accounts.install(app);
    devices.install(app);
    preKeys.install(app);
    messages.install(app);
    links.install(app);
    webSocket.install(app);
    keyTransparency.install(app);
    sealedSender.install(app);
    hook.install(app, hookParts); // last: a hook adds routes, it never replaces an honest one
  }

  /** Publishes a key-transparency entry when one is due; never throws into the scheduler. */
  void publishKt() {
    try {
      kt.publish();
    } catch (org.parley.server.storage.StorageFullException e) {
      LOG.warn(
          "publishing a key-transparency entry failed, the storage is full; retrying next epoch");
    } catch (RuntimeException | Error e) {
      // Errors too: a scheduled task that throws is never run again, and the log would stop for
      // good without a word in the server's log.
      LOG.error("publishing a key-transparency entry failed; retrying next epoch", e);
    }
  }

  void sweep() {
    try {
      int deleted = linkService.sweep(Duration.ofHours(1));
      if (deleted > 0) {
        LOG.debug("deleted {} expired links", deleted);
      }
    } catch (RuntimeException e) {
      LOG.warn("sweeping expired links failed", e);
    }
  }

  /** Loads libsignal's native library ahead of the first request that needs it. */
  static void warmUpCrypto() {
    byte[] key = new byte[Signatures.EC_PUBLIC_KEY_LENGTH];
    key[0] = 0x05;
    Signatures.isValidEcPublicKey(key);
  }
}
