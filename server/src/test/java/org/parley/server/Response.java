package org.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import org.parley.protocol.Json;

/** An HTTP answer in tests. */
record Response(int status, String body, HttpHeaders headers) {
  JsonNode json() {
    try {
      return Json.mapper().readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON (" + status + "): " + body, e);
    }
  }

  /** The error code of an error answer. */
  String code() {
    return json().path("code").asText();
  }

  <T> T as(Class<T> type) {
    return Json.read(body, type);
  }
}
