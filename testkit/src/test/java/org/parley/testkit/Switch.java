package org.parley.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The test-only misbehaviour switch of a server started with {@code --kt-test-misbehaviour true}
 * (docs/spec/api.md, "Test-only endpoints"): the operator forging, relabelling and reviving.
 */
final class Switch {
  private final ServerProcess server;

  Switch(ServerProcess server) {
    this.server = server;
  }

  /**
   * Queues a forged envelope for one device: any sender fields, any ciphertext.
   *
   * @return the answer's status
   */
  int inject(
      String toAccount,
      int toDevice,
      String fromAccount,
      int fromDevice,
      String fromHandle,
      String type,
      byte[] content) {
    return post(
        "/v1/test/inject/" + toAccount + "/" + toDevice,
        "{\"sourceAccountId\":\""
            + fromAccount
            + "\",\"sourceDeviceId\":"
            + fromDevice
            + ",\"sourceHandle\":\""
            + fromHandle
            + "\",\"type\":\""
            + type
            + "\",\"content\":\""
            + b64(content)
            + "\",\"timestamp\":"
            + System.currentTimeMillis()
            + "}");
  }

  /** From now on, gives {@code account}'s devices sender certificates under another root. */
  int certifyUnderAnotherRoot(String account) {
    return post("/v1/test/certificate-root/" + account, "");
  }

  /** Queues a sealed envelope the server makes up (it names no sender) for one device. */
  int injectSealed(String toAccount, int toDevice, byte[] content) {
    return post(
        "/v1/test/inject/" + toAccount + "/" + toDevice,
        "{\"type\":\"sealed_sender\",\"content\":\""
            + b64(content)
            + "\",\"timestamp\":"
            + System.currentTimeMillis()
            + "}");
  }

  /**
   * From now on, labels every envelope from {@code account}, and its device list, {@code handle}.
   */
  int relabel(String account, String handle) {
    return post("/v1/test/relabel/" + account, "{\"handle\":\"" + handle + "\"}");
  }

  /** Publishes a removed device's old entry (with its valid approval) again. */
  int revive(String account, int device) {
    return post("/v1/test/kt/revive/" + account + "/" + device, "");
  }

  /** From now on, the directory lists {@code device} of {@code account} with another key. */
  int directoryKey(String account, int device, byte[] identityKey) {
    return post(
        "/v1/test/directory-key/" + account + "/" + device,
        "{\"identityKey\":\"" + b64(identityKey) + "\"}");
  }

  /** The next registration is answered as if it had registered {@code handle}. */
  int registerAs(String handle) {
    return post("/v1/test/register-as", "{\"handle\":\"" + handle + "\"}");
  }

  /** A ghost device 127 with the given key (or random) and claimed approver (or device 1). */
  int ghost(String account, byte[] identityKey, Integer approver) {
    return ghost(account, identityKey, approver, null);
  }

  /** A ghost as above under device id {@code deviceId} (127 if null; a real id re-keys it). */
  int ghost(String account, byte[] identityKey, Integer approver, Integer deviceId) {
    List<String> fields = new ArrayList<>();
    if (identityKey != null) {
      fields.add("\"identityKey\":\"" + b64(identityKey) + "\"");
    }
    if (approver != null) {
      fields.add("\"approver\":" + approver);
    }
    if (deviceId != null) {
      fields.add("\"deviceId\":" + deviceId);
    }
    return post("/v1/test/kt/ghost/" + account, "{" + String.join(",", fields) + "}");
  }

  private int post(String path, String json) {
    try {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.uri() + path))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(json))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() >= 400 && answer.statusCode() != 404) {
        System.err.println("POST " + path + ": " + answer.statusCode() + " " + answer.body());
      }
      return answer.statusCode();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
