package org.parley.server.kt;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the server runs its key-transparency log.
 *
 * @param epoch how often pending changes are published as one log entry
 * @param heartbeat the longest time without an entry: an empty one is published so clients can tell
 *     a fresh log from a stale one ({@code maxBehind} must leave room for it)
 * @param monitoringWindow the draft's reasonable monitoring window (distinguished entries come
 *     about once per window)
 * @param maxAhead how far ahead of a client's clock the newest entry may be
 * @param maxBehind how far behind a client's clock the newest entry may be
 * @param maximumLifetime the draft's optional log entry maximum lifetime (Parley prunes nothing
 *     yet, so none by default)
 * @param misbehaviour whether the server runs test code's {@link OperatorHook} (a test build's
 *     misbehaving operator; refused without {@code -Dparley.test=true}, and where no test code is
 *     on the class path)
 */
public record KtSettings(
    Duration epoch,
    Duration heartbeat,
    Duration monitoringWindow,
    Duration maxAhead,
    Duration maxBehind,
    Optional<Duration> maximumLifetime,
    boolean misbehaviour) {
  public KtSettings {
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(monitoringWindow, "monitoringWindow");
    Objects.requireNonNull(maxAhead, "maxAhead");
    Objects.requireNonNull(maxBehind, "maxBehind");
    Objects.requireNonNull(maximumLifetime, "maximumLifetime");
    if (epoch.isNegative() || epoch.isZero() || heartbeat.compareTo(epoch) < 0) {
      throw new IllegalArgumentException("the epoch must be positive and the heartbeat no shorter");
    }

    if (maxBehind.compareTo(heartbeat.plus(epoch)) <= 0) {
      throw new IllegalArgumentException(
          "max-behind must exceed the heartbeat plus one epoch, or "
              + "an idle log looks stale to every client");
    }
    if (maximumLifetime.isPresent() && maximumLifetime.get().compareTo(monitoringWindow) <= 0) {
      throw new IllegalArgumentException("the maximum lifetime must exceed the monitoring window");
    }
  }

  /**
   * The shortest epoch a client accepts (clients clamp the epoch they are told to this range,
   * docs/spec/keytrans.md, "Parley's log"); a server is configured within it. Tests that publish by
   * hand build settings with longer epochs directly.
   */
  public static final Duration MIN_EPOCH = Duration.ofMillis(50);

  /** The longest epoch a client accepts. */
  public static final Duration MAX_EPOCH = Duration.ofSeconds(60);

  /** Parley's defaults: 2 s epochs, a 1 min heartbeat, a 1 h monitoring window. */
  public static KtSettings defaults() {
    return new KtSettings(
        Duration.ofSeconds(2),
        Duration.ofMinutes(1),
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(10),
        Optional.empty(),
        false);
  }

  public KtSettings withEpoch(Duration epoch, Duration heartbeat) {
    return new KtSettings(
        epoch, heartbeat, monitoringWindow, maxAhead, maxBehind, maximumLifetime, misbehaviour);
  }

  public KtSettings withMaxBehind(Duration maxBehind) {
    return new KtSettings(
        epoch, heartbeat, monitoringWindow, maxAhead, maxBehind, maximumLifetime, misbehaviour);
  }

  public KtSettings withMonitoringWindow(Duration window) {
    return new KtSettings(
        epoch, heartbeat, window, maxAhead, maxBehind, maximumLifetime, misbehaviour);
  }

  public KtSettings withMisbehaviour(boolean enabled) {
    return new KtSettings(
        epoch, heartbeat, monitoringWindow, maxAhead, maxBehind, maximumLifetime, enabled);
  }
}
