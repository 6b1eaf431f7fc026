package org.parley.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.parley.protocol.AccountId;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.link.LinkCode;

/**
 * Bad path parameters, query strings, credentials and content types for the fuzzer. Strings are
 * sent as raw request-target bytes (ISO-8859-1), so some are percent-encoded junk and some are not
 * valid in a URI at all.
 */
final class FuzzInputs {
  private FuzzInputs() {}

  /** Junk that is never a valid account id, device id, handle or link code. */
  static final List<String> JUNK =
      List.of(
          "",
          "%00",
          "%2e%2e",
          "..",
          ".",
          "%2F",
          "%2f..%2f",
          "%ZZ",
          "%",
          "%C3%A9",
          "%FF%FE",
          "*",
          "%2A",
          "'%20OR%201=1--",
          "{x}",
          "%7Bx%7D",
          "a%20b",
          "%u0041",
          "\u00e9",
          "%E2%80%AE",
          "%EF%BB%BF",
          "%0D%0A",
          "a;b",
          "a?b",
          "a#b",
          "~",
          "null",
          "-",
          "%25",
          "%252F",
          "a".repeat(300),
          "9".repeat(40));

  static List<String> accountIds(AccountId... known) {
    List<String> ids = new ArrayList<>(JUNK);
    for (AccountId id : known) {
      ids.add(id.value());
    }
    String uuid = UUID.randomUUID().toString();
    ids.addAll(
        List.of(
            uuid,
            uuid.toUpperCase(Locale.ROOT),
            uuid.replace("-", ""),
            uuid + "x",
            uuid.substring(1),
            uuid.replace("-", "%2D"),
            "{" + uuid + "}",
            "00000000-0000-0000-0000-000000000000",
            "me",
            "1-1-1-1-1",
            uuid + "0",
            "%20" + uuid));
    return ids;
  }

  /** Device ids; with {@code onlyUnused}, none that parses to a device the caller might own. */
  static List<String> deviceIds(boolean onlyUnused) {
    List<String> ids = new ArrayList<>(JUNK);
    ids.addAll(
        List.of(
            "0",
            "128",
            "-1",
            "-0",
            "2147483648",
            "-2147483649",
            "99999999999999999999",
            "abc",
            "1.5",
            "1e2",
            "0x10",
            "%20100",
            "100%00",
            "127%20",
            "100",
            "127",
            "+100",
            "0100",
            "%D9%A1%D9%A0%D9%A0",
            "%EF%BC%91%EF%BC%90%EF%BC%90"));
    if (!onlyUnused) {
      ids.addAll(List.of("1", "2", "*", "01", "+1", "%D9%A1", "%EF%BC%91"));
    }
    return ids;
  }

  static List<String> handles(String... known) {
    String d = TestServer.DOMAIN;
    List<String> handles = new ArrayList<>(JUNK);
    for (String h : known) {
      handles.add(h);
      handles.add(h.toUpperCase(Locale.ROOT));
      handles.add(h.replace("@", "%40"));
    }
    handles.addAll(
        List.of(
            "x@other.example",
            "a@",
            "@" + d,
            "a@@" + d,
            "a".repeat(33) + "@" + d,
            "-a@" + d,
            "a%00@" + d,
            "a%20b@" + d,
            "%C3%A9@" + d,
            "a@" + d + ".",
            "a@" + "b".repeat(300),
            "a@" + d + "%00",
            "a/b@" + d,
            "a%2Fb@" + d,
            "nobody-here@" + d,
            "a@-" + d,
            "a@" + d.toUpperCase(Locale.ROOT),
            "%E2%80%AEa@" + d,
            "a@" + "b.".repeat(130) + "c",
            "a.@" + d));
    return handles;
  }

  static List<String> linkCodes(LinkCode... known) {
    List<String> codes = new ArrayList<>(JUNK);
    for (LinkCode c : known) {
      codes.add(c.value());
      codes.add(c.value().toLowerCase(Locale.ROOT));
      codes.add(c.value().replace("-", ""));
      codes.add(c.value() + "-");
    }
    codes.addAll(
        List.of(
            LinkCode.random().value(),
            "not-a-code",
            "0000-0000-0000-0000",
            "OOOO-IIII-LLLL-UUUU",
            "AAAA-AAAA-AAAA",
            "AAAA-AAAA-AAAA-AAAA-AAAA",
            "AAAA_AAAA_AAAA_AAAA",
            "%41AAA-AAAA-AAAA-AAAA"));
    return codes;
  }

  /** Query strings for GET /v1/messages, including the leading '?' (or nothing). */
  static final List<String> LIMITS =
      List.of(
          "",
          "?limit=1",
          "?limit=100",
          "?limit=500",
          "?limit=0",
          "?limit=501",
          "?limit=-1",
          "?limit=abc",
          "?limit=",
          "?limit",
          "?limit=1e2",
          "?limit=2147483648",
          "?limit=99999999999999999999",
          "?limit=%00",
          "?limit=1.0",
          "?limit=%201",
          "?limit=0x10",
          "?limit=%D9%A3",
          "?limit=1&limit=abc",
          "?limit=abc&limit=1",
          "?LIMIT=5",
          "?limit=5&x=%ZZ",
          "?%ZZ",
          "?limit[]=1",
          "?&&&",
          "?limit=%FF",
          "?limit=+5",
          "?=",
          "?limit=5#x",
          "?limit=%u0035",
          "?limit=5%",
          "?limit=5%4",
          "?limit=" + "1".repeat(5000));

  /** Authorization header values that are all wrong, in every way but a valid one. */
  static List<String> badAuthorizations(Credentials valid, AccountId victim) {
    String user = valid.accountId() + "." + valid.deviceId();
    return List.of(
        "Bearer x",
        "Basic",
        "Basic ",
        "Basic !!!",
        "Basic " + b64("nonsense"),
        "Basic " + b64(user),
        "Basic " + b64(valid.accountId() + ":" + valid.password()),
        "Basic " + b64(valid.accountId() + ".0:" + valid.password()),
        "Basic " + b64(valid.accountId() + ".128:" + valid.password()),
        "Basic " + b64(valid.accountId() + ".-1:" + valid.password()),
        "Basic " + b64(valid.accountId() + ".x:" + valid.password()),
        "Basic "
            + b64(
                valid.accountId().value().toUpperCase(Locale.ROOT)
                    + "."
                    + valid.deviceId()
                    + ":"
                    + valid.password()),
        "Basic " + b64(user + ":" + valid.password() + "x"),
        "Basic " + b64(user + ":" + valid.password().substring(1)),
        "Basic " + b64(user + ":" + valid.password() + "\u0000"),
        "Basic " + b64(user + ":"),
        "Basic " + b64(":" + valid.password()),
        "Basic " + b64(victim + ".1:" + TestDevice.randomPassword()),
        "Basic " + b64(victim + ".1:" + valid.password()),
        "Basic "
            + Base64.getUrlEncoder()
                .encodeToString((user + ":" + valid.password() + "??>>").getBytes()),
        "Basic " + b64(user + ":" + valid.password()) + "=====",
        "Basic " + b64(user + ":" + "p".repeat(5000)),
        "Basic \u00ff\u00fe\u00e9",
        "Digest username=\"x\"",
        "Basic " + "A".repeat(6000));
  }

  static final List<String> CONTENT_TYPES =
      List.of(
          "text/plain",
          "application/json; charset=ISO-8859-1",
          "application/json; charset=utf-16",
          "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded",
          "*/*",
          "\u00ff",
          "application/xml",
          "application/json; charset=nonsense");

  static String b64(String raw) {
    return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }
}
