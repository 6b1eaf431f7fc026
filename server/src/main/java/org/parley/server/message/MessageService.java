package org.parley.server.message;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.message.AckRequest;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeBatch;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.GroupRecipient;
import org.parley.protocol.message.GroupSendRequest;
import org.parley.protocol.message.GroupSendResponse;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.RecipientDevice;
import org.parley.protocol.message.RefusedRecipient;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.message.SendResponse;
import org.parley.protocol.sealed.SealedMessage;
import org.parley.protocol.sealed.SealedSendRequest;
import org.parley.server.account.AccountStore;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.delivery.DeliveryEvent;
import org.parley.server.http.ApiException;
import org.parley.server.http.RateLimiter;
import org.parley.server.http.RateLimits;

/**
 * Sending (one atomic enqueue per request, group-committed with other sends, then a push per
 * envelope from memory), fetching, acknowledging.
 */
public final class MessageService {
  private static final Executor LOOKUPS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("send-lookup-", 0).factory());

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 500;

  private final AccountStore accounts;
  private final MessageQueue queue;
  private final DeliveryBus bus;
  private final Clock clock;
  private final UnaryOperator<Envelope> delivered;
  private final RateLimiter sendsPerPair;
  private final RateLimiter sendsPerSender;

  /**
   * @param delivered what fetched envelopes pass through: the identity, except under a test's
   *     {@link org.parley.server.kt.OperatorHook}
   */
  public MessageService(
      AccountStore accounts,
      MessageQueue queue,
      DeliveryBus bus,
      Clock clock,
      UnaryOperator<Envelope> delivered,
      RateLimits limits) {
    this.accounts = accounts;
    this.queue = queue;
    this.bus = bus;
    this.clock = clock;
    this.delivered = delivered;
    this.sendsPerPair =
        new RateLimiter(limits.sendsPerPairPerMinute(), Duration.ofMinutes(1), clock);
    this.sendsPerSender =
        new RateLimiter(limits.sendsPerSenderPerMinute(), Duration.ofMinutes(1), clock);
  }

  public SendResponse send(AuthenticatedDevice sender, AccountId recipient, SendRequest request) {
    return join(sendAsync(sender, recipient, request));
  }

  private static SendResponse join(CompletableFuture<SendResponse> answer) {
    try {
      return answer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Sends without waiting for the commit: the rate limits and the request are checked at once
   * (throwing), and the future completes once the envelopes are committed, or fails with the
   * refusal ({@code stale_devices}, {@code unknown_account}, a storage failure).
   */
  public CompletableFuture<SendResponse> sendAsync(
      AuthenticatedDevice sender, AccountId recipient, SendRequest request) {
    // the pair first: a sender flooding one recipient keeps its budget for everybody else
    sendsPerPair.acquire(sender.accountId() + ">" + recipient);
    sendsPerSender.acquire(sender.accountId().value());
    long now = clock.millis();
    List<AddressedEnvelope> envelopes = new ArrayList<>(request.messages().size());
    for (OutgoingMessage m : request.messages()) {
      envelopes.add(
          addressed(
              sender,
              m.deviceId(),
              m.registrationId(),
              m.type(),
              request.timestamp(),
              now,
              m.content(),
              null));
    }
    DeviceId excluded = recipient.equals(sender.accountId()) ? sender.deviceId() : null;
    return queue
        .enqueueAsync(recipient, excluded, Set.copyOf(request.withheldDevices()), envelopes)
        .thenCompose(result -> stored(recipient, result, now));
  }

  /** The answer to a one-account send once the store answered: published, or refused. */
  private CompletableFuture<SendResponse> stored(
      AccountId recipient, EnqueueResult result, long now) {
    return switch (result) {
      case EnqueueResult.StaleDevices stale -> refuse(recipient, stale);
      case EnqueueResult.Stored stored -> {
        publish(stored);
        yield CompletableFuture.completedFuture(new SendResponse(now, stored.envelopes().size()));
      }
    };
  }

  /**
   * A sealed send (docs/spec/sealed-sender.md) whose delivery credentials the caller checked: the
   * envelopes name no sender, and the whole request is stored or refused as {@link #send} is (stale
   * devices answered the same way). No sender, so no per-sender limit: the caller limits per
   * recipient and per remote address.
   */
  public SendResponse sendSealed(AccountId recipient, SealedSendRequest request) {
    long now = clock.millis();
    List<AddressedEnvelope> envelopes = new ArrayList<>(request.messages().size());
    for (SealedMessage m : request.messages()) {
      envelopes.add(
          sealed(m.deviceId(), m.registrationId(), request.timestamp(), now, m.content(), null));
    }
    return join(
        queue
            .enqueueAsync(recipient, null, Set.of(), envelopes)
            .thenCompose(result -> stored(recipient, result, now)));
  }

  /**
   * A group message (docs/spec/api.md, "Group messages"): the same ciphertext queued for the
   * devices of every recipient account, each account's list checked on its own; every account's
   * enqueue is issued at once, so the store commits them in as few group commits as it can, and the
   * answer comes after all of them committed. An account whose list is stale, or that does not
   * exist, gets nothing and is named in the answer; the others are not held back by it.
   */
  public GroupSendResponse sendToGroup(AuthenticatedDevice sender, GroupSendRequest request) {
    sendsPerSender.acquire(sender.accountId().value());
    for (GroupRecipient r : request.recipients()) {
      sendsPerPair.acquire(sender.accountId() + ">" + r.accountId());
    }
    long now = clock.millis();
    SharedPart content = SharedPart.of(request.content()); // stored once for every envelope
    List<AccountEnvelopes> shares = new ArrayList<>(request.recipients().size());
    for (GroupRecipient r : request.recipients()) {
      List<AddressedEnvelope> envelopes = new ArrayList<>(r.devices().size());
      for (RecipientDevice d : r.devices()) {
        envelopes.add(
            addressed(
                sender,
                d.deviceId(),
                d.registrationId(),
                request.type(),
                request.timestamp(),
                now,
                content.bytes(),
                content));
      }
      DeviceId excluded = r.accountId().equals(sender.accountId()) ? sender.deviceId() : null;
      shares.add(
          new AccountEnvelopes(
              r.accountId(), excluded, Set.copyOf(r.withheldDevices()), envelopes));
    }
    return fanOut(shares, List.of(), now);
  }

  /** One account's share of a group upload: its envelopes, and the devices it may leave out. */
  public record AccountEnvelopes(
      AccountId account,
      DeviceId excluded,
      Set<DeviceId> withheld,
      List<AddressedEnvelope> envelopes) {}

  /**
   * A sealed group upload whose delivery credentials the caller checked (docs/spec
   * sealed-sender.md, "The multi-recipient upload"): each device's envelope is its own share of the
   * upload, and names no sender; {@code refused} are the accounts the caller refused already.
   */
  public GroupSendResponse sendSealedToGroup(
      List<AccountEnvelopes> shares, List<RefusedRecipient> refused) {
    return fanOut(shares, refused, clock.millis());
  }

  /**
   * A sealed envelope for one device, with a fresh id; its content ends with {@code shared}, which
   * other envelopes of the upload share, or null.
   */
  public static AddressedEnvelope sealed(
      DeviceId device,
      int registrationId,
      long timestamp,
      long now,
      byte[] content,
      SharedPart shared) {
    return new AddressedEnvelope(
        device,
        registrationId,
        new Envelope(
            UUID.randomUUID().toString(),
            null,
            null,
            null,
            EnvelopeType.SEALED_SENDER,
            timestamp,
            now,
            content),
        shared);
  }

  /**
   * Every account's enqueue issued at once, so the store commits them in as few group commits as it
   * can; the answer after all of them committed. An account whose list is stale, or that does not
   * exist, gets nothing and is named in the answer.
   */
  private GroupSendResponse fanOut(
      List<AccountEnvelopes> shares, List<RefusedRecipient> alreadyRefused, long now) {
    List<CompletableFuture<EnqueueResult>> results = new ArrayList<>(shares.size());
    for (AccountEnvelopes a : shares) {
      results.add(queue.enqueueAsync(a.account(), a.excluded(), a.withheld(), a.envelopes()));
    }
    int stored = 0;
    List<RefusedRecipient> refused = new ArrayList<>(alreadyRefused);
    for (int i = 0; i < results.size(); i++) {
      AccountId recipient = shares.get(i).account();
      EnqueueResult result;
      try {
        result = results.get(i).join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause; // a storage failure: the client sends again, repeats are dropped by id
        }
        throw e;
      }
      switch (result) {
        case EnqueueResult.Stored s -> {
          publish(s);
          stored += s.envelopes().size();
        }
        case EnqueueResult.StaleDevices stale ->
            refused.add(
                stale.missing().isEmpty() && accounts.byId(recipient).isEmpty()
                    ? new RefusedRecipient(recipient, ErrorCode.UNKNOWN_ACCOUNT, null, null, null)
                    : new RefusedRecipient(
                        recipient,
                        ErrorCode.STALE_DEVICES,
                        stale.missing(),
                        stale.extra(),
                        stale.stale()));
      }
    }
    return new GroupSendResponse(now, stored, refused);
  }

  /**
   * An envelope from the authenticated sender for one device, with a fresh id; {@code shared}, if
   * not null, is the part of the content other envelopes of the upload share.
   */
  private static AddressedEnvelope addressed(
      AuthenticatedDevice sender,
      DeviceId device,
      int registrationId,
      EnvelopeType type,
      long timestamp,
      long now,
      byte[] content,
      SharedPart shared) {
    return new AddressedEnvelope(
        device,
        registrationId,
        new Envelope(
            UUID.randomUUID().toString(),
            sender.accountId(),
            sender.account().handle(),
            sender.deviceId(),
            type,
            timestamp,
            now,
            content),
        shared);
  }

  /**
   * Committed: only now tell the recipients' connections, handing them the envelopes so that they
   * push them without reading them back.
   */
  private void publish(EnqueueResult.Stored stored) {
    for (StoredEnvelope e : stored.envelopes()) {
      bus.publish(
          new DeliveryEvent.EnvelopesAvailable(
              e.recipientAccountId(), e.recipientDeviceId(), List.of(e)));
    }
  }

  private CompletableFuture<SendResponse> refuse(
      AccountId recipient, EnqueueResult.StaleDevices stale) {
    ApiException staleDevices =
        new ApiException(
            ErrorCode.STALE_DEVICES,
            ErrorResponse.staleDevices(stale.missing(), stale.extra(), stale.stale()),
            java.util.Map.of());
    if (!stale.missing().isEmpty()) {
      return CompletableFuture.failedFuture(staleDevices);
    }
    // An account always has a device, so only a refused send can be to an unknown account: the
    // lookup stays off the path of every successful send, and off the committing thread.
    return CompletableFuture.supplyAsync(
        () -> {
          if (accounts.byId(recipient).isEmpty()) {
            throw new ProtocolException(ErrorCode.UNKNOWN_ACCOUNT, "no such account");
          }
          throw staleDevices;
        },
        LOOKUPS);
  }

  public EnvelopeBatch fetch(AuthenticatedDevice caller, int limit) {
    List<StoredEnvelope> page = queue.pending(caller.accountId(), caller.deviceId(), 0, limit + 1);
    boolean more = page.size() > limit;
    var envelopes =
        page.stream().limit(limit).map(StoredEnvelope::envelope).map(delivered).toList();
    return new EnvelopeBatch(envelopes, more);
  }

  public void acknowledge(AuthenticatedDevice caller, AckRequest request) {
    if (!mayBeQueued(request.ids())
        || !queue.acknowledge(caller.accountId(), caller.deviceId(), request.ids())) {
      throw new ProtocolException(
          ErrorCode.UNKNOWN_ENVELOPE, "an id is not queued for this device; nothing was deleted");
    }
  }

  /**
   * False if an id cannot be one this server assigned (printable ASCII): such an ack is
   * unknown_envelope without a query, since PostgreSQL refuses text with NUL bytes outright.
   */
  public static boolean mayBeQueued(List<String> ids) {
    return ids.stream().allMatch(id -> id.chars().allMatch(c -> c > 0x20 && c < 0x7f));
  }
}
