package org.parley.client;

import java.util.Optional;
import org.parley.protocol.Handle;

/**
 * Whether a new device joins the account that approved its link request ({@link LinkOffer}): the
 * person's answer, or the account they named in advance. A refusal declines the link, so the
 * account never gets this device.
 */
@FunctionalInterface
public interface LinkConsent {
  /** Why not to join, or empty to join. */
  Optional<String> refusal(LinkOffer offer);

  /** Joins whichever account approves (the person said yes beforehand). */
  static LinkConsent any() {
    return offer -> Optional.empty();
  }

  /** Joins only {@code expected}; any other account is declined. */
  static LinkConsent expecting(Handle expected) {
    return offer ->
        offer.handle().equals(expected)
            ? Optional.empty()
            : Optional.of(
                "the link was approved by a device of "
                    + offer.handle().value()
                    + ", not of "
                    + expected.value());
  }
}
