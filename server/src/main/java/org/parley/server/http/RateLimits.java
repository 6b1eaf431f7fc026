package org.parley.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The server's rate limits (docs/spec/api.md, "Rate limits"), each a token bucket per key whose
 * burst is the whole allowance of its period, refilled evenly over the period. Per node, in memory:
 * n nodes allow up to n times as much, until the buckets are shared (Redis, with the multi-node
 * work). Set from the command line as {@code --limit NAME=N} with the names of {@link #NAMES}.
 *
 * @param registrationsPerHour registrations and link creations, per remote address
 * @param keyFetchesPerPairPerHour bundle fetches per (calling account, target account)
 * @param keyFetchesPerCallerPerHour bundle fetches per calling account, whatever the target
 * @param oneTimeKeysPerPairPerHour one-time prekeys one calling account may take from one target
 *     device; beyond it the bundle carries none (the signed and last-resort keys still make a
 *     session), so that nobody drains a device's one-time keys
 * @param oneTimeKeysPerDevicePerHour one-time prekeys taken from one device by all callers
 *     together; beyond it, bundles without one-time keys
 * @param sendsPerPairPerMinute sends per (sending account, recipient account)
 * @param sendsPerSenderPerMinute sends per sending account, whatever the recipient
 * @param handleLookupsPerMinute handle look-ups per calling account
 * @param deviceListsPerMinute device-list reads (of other accounts) per calling account
 * @param linkLookupsPerHour link look-ups ({@code GET /v1/links/{code}}) per calling account
 * @param sealedSendsPerRecipientPerMinute sealed sends to one account from everyone together (the
 *     server does not know the senders; the recipient's credential decides who may send at all)
 * @param sealedSendsPerAddressPerMinute sealed sends from one remote address, whatever the
 *     recipient
 */
public record RateLimits(
    int registrationsPerHour,
    int keyFetchesPerPairPerHour,
    int keyFetchesPerCallerPerHour,
    int oneTimeKeysPerPairPerHour,
    int oneTimeKeysPerDevicePerHour,
    int sendsPerPairPerMinute,
    int sendsPerSenderPerMinute,
    int handleLookupsPerMinute,
    int deviceListsPerMinute,
    int linkLookupsPerHour,
    int sealedSendsPerRecipientPerMinute,
    int sealedSendsPerAddressPerMinute) {

  /** The option names, in the order of the components. */
  public static final Map<String, ToIntFunction<RateLimits>> NAMES = names();

  public RateLimits {
    // the fields are assigned only after this body: check the parameters themselves
    int[] values = {
      registrationsPerHour,
      keyFetchesPerPairPerHour,
      keyFetchesPerCallerPerHour,
      oneTimeKeysPerPairPerHour,
      oneTimeKeysPerDevicePerHour,
      sendsPerPairPerMinute,
      sendsPerSenderPerMinute,
      handleLookupsPerMinute,
      deviceListsPerMinute,
      linkLookupsPerHour,
      sealedSendsPerRecipientPerMinute,
      sealedSendsPerAddressPerMinute
    };
    int i = 0;
    for (String name : names().keySet()) {
      if (values[i++] < 1) {
        throw new IllegalArgumentException("the limit " + name + " must be at least 1");
      }
    }
  }

  /**
   * Parley's defaults: generous for a person (a conversation at one message a second, contacts
   * added by the hundred), far below what a script does.
   */
  public static RateLimits defaults() {
    return new RateLimits(1_000, 200, 1_000, 10, 100, 60, 300, 120, 300, 100, 300, 600);
  }

  /**
   * The same limits with the one called {@code name} (one of {@link #NAMES}) set to {@code value}.
   */
  public RateLimits with(String name, int value) {
    if (!NAMES.containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown limit " + name + "; the limits are " + String.join(", ", NAMES.keySet()));
    }
    int[] v = NAMES.values().stream().mapToInt(f -> f.applyAsInt(this)).toArray();
    int i = 0;
    for (String n : NAMES.keySet()) {
      if (n.equals(name)) {
        v[i] = value;
      }
      i++;
    }
    return new RateLimits(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
  }

  /** Parses {@code NAME=N}, as the {@code --limit} option takes it. */
  public RateLimits with(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("--limit takes NAME=N: " + assignment);
    }
    String value = assignment.substring(eq + 1);
    try {
      return with(assignment.substring(0, eq), Integer.parseInt(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--limit " + assignment.substring(0, eq) + " takes a positive integer: " + value);
    }
  }

  private static Map<String, ToIntFunction<RateLimits>> names() {
    Map<String, ToIntFunction<RateLimits>> m = new LinkedHashMap<>();
    m.put("registrations-per-hour", RateLimits::registrationsPerHour);
    m.put("key-fetches-per-pair-per-hour", RateLimits::keyFetchesPerPairPerHour);
    m.put("key-fetches-per-caller-per-hour", RateLimits::keyFetchesPerCallerPerHour);
    m.put("one-time-keys-per-pair-per-hour", RateLimits::oneTimeKeysPerPairPerHour);
    m.put("one-time-keys-per-device-per-hour", RateLimits::oneTimeKeysPerDevicePerHour);
    m.put("sends-per-pair-per-minute", RateLimits::sendsPerPairPerMinute);
    m.put("sends-per-sender-per-minute", RateLimits::sendsPerSenderPerMinute);
    m.put("handle-lookups-per-minute", RateLimits::handleLookupsPerMinute);
    m.put("device-lists-per-minute", RateLimits::deviceListsPerMinute);
    m.put("link-lookups-per-hour", RateLimits::linkLookupsPerHour);
    m.put("sealed-sends-per-recipient-per-minute", RateLimits::sealedSendsPerRecipientPerMinute);
    m.put("sealed-sends-per-address-per-minute", RateLimits::sealedSendsPerAddressPerMinute);
    return java.util.Collections.unmodifiableMap(m);
  }
}
