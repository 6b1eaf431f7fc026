package org.parley.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code parley verify} shows about a contact.
 *
 * @param handle the contact's handle
 * @param accountId the account the log proves the handle names
 * @param version the device list's version in the log
 * @param provenDevices the device ids the log proves, with keys matching the directory's
 * @param refusedDevices devices the server lists that the log does not prove or that no device of
 *     the account approved; never encrypted to
 * @param treeSize the log size the proof was verified at
 * @param root the log root at that size (hex), to compare with others out of band
 * @param safetyNumber the 60-digit safety number over both accounts' proven device keys
 * @param alarms alarms about this contact or the log
 * @param changedKeys devices whose proven key differs from the key trusted for them before, with
 *     the new key's fingerprint: refused until the person accepts it
 * @param safetyNumberWithChangedKeys the safety number as it would be with those new keys, to
 *     compare in person before accepting them; empty if no key changed
 */
public record KtStatus(
    String handle,
    String accountId,
    long version,
    List<Integer> provenDevices,
    Set<Integer> refusedDevices,
    long treeSize,
    String root,
    String safetyNumber,
    List<KtAlarm> alarms,
    Map<Integer, String> changedKeys,
    Optional<String> safetyNumberWithChangedKeys) {}
