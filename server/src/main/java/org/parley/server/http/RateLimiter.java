package org.parley.server.http;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets keyed by string: each key may spend {@code count} tokens in a burst, refilled
 * evenly over the period. Node-local; a cluster of n nodes allows up to n times the rate.
 */
public final class RateLimiter {
  private static final long EVICTION_INTERVAL_MILLIS = 60_000;

  private final double capacity;
  private final double millisPerToken;
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastEviction = new AtomicLong();

  public RateLimiter(int perHour, Clock clock) {
    this(perHour, Duration.ofHours(1), clock);
  }

  public RateLimiter(int count, Duration period, Clock clock) {
    if (count < 1) {
      throw new IllegalArgumentException("a rate limit must allow at least one request per period");
    }
    this.capacity = count;
    this.millisPerToken = period.toMillis() / (double) count;
    this.clock = clock;
  }

  /** Spends a token for {@code key}, or throws 429 rate_limited with the seconds to wait. */
  public void acquire(String key) {
    long waitMillis = take(key);
    if (waitMillis > 0) {
      throw ApiException.rateLimited(Math.max(1, (waitMillis + 999) / 1000));
    }
  }

  /** Spends a token for {@code key} if one is left; false (and nothing spent) if not. */
  public boolean tryAcquire(String key) {
    return take(key) == 0;
  }

  private long take(String key) {
    long now = clock.millis();
    long last = lastEviction.get();
    if (now - last > EVICTION_INTERVAL_MILLIS && lastEviction.compareAndSet(last, now)) {
      // at most once a minute, so a flood of keys cannot make every call scan; whatever the
      // number of buckets, because a key says who talked to whom (docs/security.md, "What the
      // server keeps"): a bucket is forgotten within a minute of refilling
      evictFull(now);
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(capacity, now)).take(now);
  }

  private void evictFull(long now) {
    buckets.values().removeIf(b -> b.fullAt(now));
  }

  private final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    /** Returns 0 if a token was taken, else the milliseconds until one is available. */
    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) * millisPerToken);
    }

    synchronized boolean fullAt(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      if (now > updated) {
        tokens = Math.min(capacity, tokens + (now - updated) / millisPerToken);
        updated = now;
      }
    }
  }
}
