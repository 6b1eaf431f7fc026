package org.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void allowsABurstThenRefillsEvenlyPerKey() {
    MutableClock clock = new MutableClock();
    RateLimiter limiter = new RateLimiter(3600, clock); // one token a second
    for (int i = 0; i < 3600; i++) {
      limiter.acquire("a");
    }
    assertThatThrownBy(() -> limiter.acquire("a"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code().wireName()).isEqualTo("rate_limited");
              assertThat(e.headers()).containsEntry("Retry-After", "1");
            });
    limiter.acquire("b"); // another key has its own bucket
    clock.now = clock.now.plus(Duration.ofSeconds(1));
    limiter.acquire("a");
    assertThatThrownBy(() -> limiter.acquire("a")).isInstanceOf(ApiException.class);
  }

  @Test
  void retryAfterCoversTheWaitForOneToken() {
    MutableClock clock = new MutableClock();
    RateLimiter limiter = new RateLimiter(2, clock); // one token every 30 minutes
    limiter.acquire("k");
    limiter.acquire("k");
    assertThatThrownBy(() -> limiter.acquire("k"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.headers()).containsEntry("Retry-After", "1800"));
  }
}
