package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.store.ContactStore;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.SqliteProtocolState;
import org.parley.client.transport.ServerApi;
import org.parley.client.trust.IdentityTrust;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;
import org.parley.crypto.KyberPreKeyPublic;
import org.parley.crypto.RemoteAddress;
import org.parley.crypto.SignedPreKeyPublic;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKeyBundles;
import org.parley.protocol.keys.SignedPreKey;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.message.SendResponse;

/**
 * The 409 stale_devices path against a scripted HTTP server: the first send misses a device the
 * client did not know about; the client refreshes the device list, starts a session from the new
 * device's bundle and resends to both.
 */
class FanoutStaleDevicesTest {
  private static final AccountId ME = AccountId.of("11111111-1111-4111-8111-111111111111");
  private static final AccountId BOB = AccountId.of("22222222-2222-4222-8222-222222222222");
  private static final Handle BOB_HANDLE = Handle.of("bob@parley.test");

  @TempDir Path dir;
  private HttpServer http;
  private DeviceDatabase db;
  private final Map<Integer, DeviceCrypto> bobDevices = new TreeMap<>();
  private final List<List<Integer>> sends = new ArrayList<>();
  private final AtomicInteger puts = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    bobDevices.put(1, DeviceCrypto.initialize(new InMemoryProtocolState()));
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", this::handle);
    http.start();
    db = DeviceDatabase.open(dir.resolve("device.db"));
  }

  @AfterEach
  void stop() {
    http.stop(0);
    db.close();
  }

  @Test
  void aMissingDeviceIsFetchedAndTheWholeRequestResent() {
    DeviceCrypto crypto = DeviceCrypto.initialize(new SqliteProtocolState(db));
    ServerApi api =
        new ServerApi(
            URI.create("http://127.0.0.1:" + http.getAddress().getPort()),
            ServerApi.newHttpClient(),
            new Credentials(ME, DeviceId.of(1), "p".repeat(43)));
    RemoteAddress self = new RemoteAddress(ME.value(), 1);
    Directory directory =
        new Directory(api, crypto, new ContactStore(db), IdentityTrust.trustOnFirstUse(), self);
    Fanout fanout = new Fanout(api, crypto, directory, self);

    ContactStore.Contact bob = directory.refresh(BOB); // bob has one device so far
    bobDevices.put(2, DeviceCrypto.initialize(new InMemoryProtocolState())); // ...and links another

    List<Integer> sentTo = fanout.send(bob, new byte[] {1, 2, 3}, 1_700_000_000_000L);

    assertThat(sentTo).containsExactly(1, 2);
    assertThat(sends).containsExactly(List.of(1), List.of(1, 2));
    assertThat(crypto.hasSession(new RemoteAddress(BOB.value(), 2))).isTrue();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (method.equals("GET") && path.equals("/v1/accounts/" + BOB + "/devices")) {
      List<DeviceInfo> devices = new ArrayList<>();
      bobDevices.forEach(
          (id, d) ->
              devices.add(new DeviceInfo(DeviceId.of(id), null, d.registrationId(), d.identityKey().bytes(), 1L)));
      reply(exchange, 200, new DeviceList(BOB, BOB_HANDLE, devices));
    } else if (method.equals("GET") && path.startsWith("/v1/keys/" + BOB + "/")) {
      String which = path.substring(path.lastIndexOf('/') + 1);
      List<DeviceBundle> bundles = new ArrayList<>();
      bobDevices.forEach(
          (id, d) -> {
            if (which.equals("*") || which.equals(id.toString())) {
              bundles.add(bundle(id, d));
            }
          });
      reply(exchange, 200, new PreKeyBundles(BOB, BOB_HANDLE, bundles));
    } else if (method.equals("PUT") && path.equals("/v1/messages/" + BOB)) {
      SendRequest request = Json.read(exchange.getRequestBody().readAllBytes(), SendRequest.class);
      List<Integer> to = request.messages().stream().map(m -> m.deviceId().value()).toList();
      sends.add(to);
      List<Integer> missing = bobDevices.keySet().stream().filter(id -> !to.contains(id)).toList();
      if (!missing.isEmpty()) {
        reply(exchange, 409, ErrorResponse.staleDevices(missing, List.of(), List.of()));
      } else {
        puts.incrementAndGet();
        reply(exchange, 200, new SendResponse(1L, to.size()));
      }
    } else {
      reply(exchange, 404, ErrorResponse.of(org.parley.protocol.ErrorCode.NOT_FOUND, "no " + path));
    }
  }

  private static DeviceBundle bundle(int id, DeviceCrypto d) {
    SignedPreKeyPublic signed = d.newSignedPreKey();
    KyberPreKeyPublic kyber = d.newLastResortKyberPreKey();
    return new DeviceBundle(
        DeviceId.of(id),
        d.registrationId(),
        d.identityKey().bytes(),
        new SignedPreKey(signed.keyId(), signed.publicKey(), signed.signature()),
        null,
        new KyberPreKey(kyber.keyId(), kyber.publicKey(), kyber.signature()));
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = Json.write(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
