package org.parley.testkit;

/** The storage backends every end-to-end test runs against. */
public enum Backend {
  SQLITE,
  POSTGRES
}
