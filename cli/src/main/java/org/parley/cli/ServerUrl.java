package org.parley.cli;

import java.net.URI;
import org.parley.client.ClientException;
import org.parley.client.ServerAddress;
import picocli.CommandLine;

/** Parses {@code --server URL}; a malformed URL is a usage error. */
final class ServerUrl implements CommandLine.ITypeConverter<URI> {
  @Override
  public URI convert(String value) {
    try {
      return ServerAddress.parseUrl(value);
    } catch (ClientException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
