package org.parley.crypto;

/**
 * The independent id spaces of this device's prekeys. One-time and last-resort Kyber prekeys share
 * one space because libsignal looks both up by id in the same store.
 */
public enum KeyIdSeries {
  ONE_TIME_EC_PREKEY,
  SIGNED_EC_PREKEY,
  KYBER_PREKEY
}
