package org.parley.client.kt;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.parley.keytrans.combined.LabelKeys;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;

/**
 * What this device keeps about one label of the log: for a label it looked up, the contact
 * monitoring map; for its own account's label, the owner state too. Immutable; every change makes a
 * new value that is stored only after the response behind it verified.
 *
 * @param start the owner's starting position (-1 for a contact)
 * @param greatest the greatest version known to be verified (-1 for none)
 * @param knownAt where {@code greatest} was inserted, or the owner's start when it learned of it at
 *     initialisation (-1 for none)
 * @param insertedAt position -> greatest version created there, as far as the owner knows
 * @param monitor the draft's monitoring map: position -> version
 * @param keys version -> search key (VRF output) verified for this label
 * @param commitments version -> commitment verified for this label
 * @param value the value of {@code greatest}, when known
 */
public record LabelState(
    long start,
    long greatest,
    long knownAt,
    NavigableMap<Long, Long> insertedAt,
    NavigableMap<Long, Long> monitor,
    Map<Long, SearchKey> keys,
    Map<Long, HashValue> commitments,
    byte[] value) {
  public LabelState {
    insertedAt = new TreeMap<>(insertedAt);
    monitor = new TreeMap<>(monitor);
    keys = Map.copyOf(keys);
    commitments = Map.copyOf(commitments);
    value = value == null ? null : value.clone();
  }

  public static LabelState empty() {
    return new LabelState(-1, -1, -1, new TreeMap<>(), new TreeMap<>(), Map.of(), Map.of(), null);
  }

  public Optional<byte[]> currentValue() {
    return Optional.ofNullable(value).map(byte[]::clone);
  }

  /** The keys and commitments as the verifier reads them. */
  public LabelKeys labelKeys() {
    return LabelKeys.of(keys, commitments);
  }

  public byte[] encode() {
    TlsWriter out = new TlsWriter();
    out.u64(start).u64(greatest).u64(knownAt);
    writeMap(out, insertedAt);
    writeMap(out, monitor);
    out.u32(keys.size());
    new TreeMap<>(keys).forEach((v, k) -> out.u64(v).fixed(k.toByteArray()));
    out.u32(commitments.size());
    new TreeMap<>(commitments).forEach((v, c) -> out.u64(v).fixed(c.toByteArray()));
    out.u8(value == null ? 0 : 1);
    if (value != null) {
      out.u32(value.length).fixed(value);
    }
    return out.toByteArray();
  }

  public static LabelState decode(byte[] bytes) throws MalformedEncodingException {
    TlsReader in = new TlsReader(bytes);
    long start = in.u64();
    long greatest = in.u64();
    long knownAt = in.u64();
    NavigableMap<Long, Long> insertedAt = readMap(in);
    NavigableMap<Long, Long> monitor = readMap(in);
    Map<Long, SearchKey> keys = new TreeMap<>();
    for (long i = in.u32(); i > 0; i--) {
      keys.put(in.u64(), SearchKey.of(in.fixed(SearchKey.LENGTH)));
    }
    Map<Long, HashValue> commitments = new TreeMap<>();
    for (long i = in.u32(); i > 0; i--) {
      commitments.put(in.u64(), HashValue.of(in.fixed(32)));
    }
    byte[] value = in.present() ? in.fixed(in.u32()) : null;
    in.end();
    return new LabelState(start, greatest, knownAt, insertedAt, monitor, keys, commitments, value);
  }

  private static void writeMap(TlsWriter out, NavigableMap<Long, Long> map) {
    out.u32(map.size());
    map.forEach((k, v) -> out.u64(k).u64(v));
  }

  private static NavigableMap<Long, Long> readMap(TlsReader in) throws MalformedEncodingException {
    NavigableMap<Long, Long> map = new TreeMap<>();
    for (long i = in.u32(); i > 0; i--) {
      map.put(in.u64(), in.u64());
    }
    return map;
  }
}
