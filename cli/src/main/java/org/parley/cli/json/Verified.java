package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code parley verify}: what the key-transparency log proves about a contact, the log head it was
 * checked at, the safety number, keys that changed (device id to the new key's fingerprint) and
 * every alarm about the contact or the log, open or resolved.
 */
public record Verified(
    String handle,
    String accountId,
    long deviceListVersion,
    List<Integer> provenDevices,
    List<Integer> refusedDevices,
    long treeSize,
    String root,
    @JsonInclude(Include.NON_NULL) String logHash,
    String safetyNumber,
    Map<Integer, String> changedKeys,
    @JsonInclude(Include.NON_NULL) String safetyNumberWithChangedKeys,
    List<Alarm> alarms)
    implements JsonLine {
  public Verified {
    provenDevices = List.copyOf(provenDevices);
    refusedDevices = refusedDevices.stream().sorted().toList();
    changedKeys = new TreeMap<>(changedKeys);
    alarms = List.copyOf(alarms);
  }
}
