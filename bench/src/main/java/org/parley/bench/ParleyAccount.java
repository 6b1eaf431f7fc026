package org.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;
import org.parley.crypto.WireKeys;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.account.RegisterResponse;
import org.parley.protocol.keys.DeviceKeys;

/**
 * An account registered through the real API with real key material (a device identity, a signed
 * prekey and a last-resort Kyber prekey from the crypto module), so the server checks everything it
 * checks for a real client; {@code device} is its crypto, for a bench that makes sessions with it.
 */
record ParleyAccount(
    Credentials credentials, int registrationId, String authorization, DeviceCrypto device) {
  private static final SecureRandom RANDOM = new SecureRandom();

  static ParleyAccount register(HttpClient http, URI base, Handle handle)
      throws IOException, InterruptedException {
    DeviceCrypto device = DeviceCrypto.initialize(new InMemoryProtocolState());
    DeviceKeys keys = WireKeys.newDeviceKeys(device, 0);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String password = Json.base64Url(secret);
    byte[] body = Json.write(WireKeys.registration(device, handle, password, "bench", keys));
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/v1/accounts"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 201) {
        RegisterResponse registered = Json.read(response.body(), RegisterResponse.class);
        Credentials credentials =
            new Credentials(registered.accountId(), registered.deviceId(), password);
        return new ParleyAccount(
            credentials, device.registrationId(), credentials.authorizationHeader(), device);
      }
      if (response.statusCode() != 429 || System.nanoTime() > deadline) {
        throw new IOException(
            "registering " + handle + ": HTTP " + response.statusCode() + " " + response.body());
      }
      long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
      Thread.sleep(Duration.ofSeconds(Math.max(1, retryAfter)));
    }
  }

  @Override
  public String toString() {
    return "ParleyAccount[" + credentials + "]";
  }
}
