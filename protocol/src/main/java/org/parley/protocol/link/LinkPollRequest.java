package org.parley.protocol.link;

import org.parley.protocol.account.Credentials;

/** POST /v1/links/{code}/status: the new device proves it made the link with its password. */
public record LinkPollRequest(String password) {
  public LinkPollRequest {
    Credentials.checkPassword(password);
  }
}
