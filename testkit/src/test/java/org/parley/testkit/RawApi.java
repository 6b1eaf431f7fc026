package org.parley.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.account.Credentials;

/**
 * The HTTP API spoken by hand with one device's credentials, read from its profile: what a
 * malicious client of a real account can send, whatever our client would do.
 */
final class RawApi {
  private final URI server;
  private final Credentials credentials;
  private final HttpClient http = HttpClient.newHttpClient();

  RawApi(URI server, Credentials credentials) {
    this.server = server;
    this.credentials = credentials;
  }

  /** The credentials stored in a client profile (the client keeps its own password). */
  static Credentials credentialsOf(Path profile) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + profile.resolve("device.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT account_id, device_id, password FROM device")) {
      r.next();
      return new Credentials(
          AccountId.of(r.getString(1)), DeviceId.of(r.getInt(2)), r.getString(3));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  Credentials credentials() {
    return credentials;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(server.resolve(path)).GET(), credentials);
  }

  HttpResponse<String> put(String path, String json) {
    return send(
        HttpRequest.newBuilder(server.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)),
        credentials);
  }

  HttpResponse<String> post(String path, String json) {
    return post(path, json, credentials);
  }

  HttpResponse<String> post(String path, String json, Credentials as) {
    return send(
        HttpRequest.newBuilder(server.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        as);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, Credentials as) {
    try {
      return http.send(
          request
              .header("Authorization", as.authorizationHeader())
              .timeout(Duration.ofSeconds(20))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
