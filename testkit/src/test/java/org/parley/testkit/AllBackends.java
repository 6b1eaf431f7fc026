package org.parley.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.parley.server.TestPostgres;

/**
 * Runs a test once per storage backend, taking a {@link Backend}: SQLite always, PostgreSQL unless
 * {@code -Dparley.test.postgres=false} (the one switch every module's tests honour).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@ArgumentsSource(AllBackends.Provider.class)
public @interface AllBackends {
  /** The backends this run covers. */
  final class Provider implements ArgumentsProvider {
    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
      return Stream.of(Backend.values())
          .filter(b -> b != Backend.POSTGRES || TestPostgres.ENABLED)
          .map(Arguments::of);
    }
  }
}
