package org.parley.protocol;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
class SmokeTest { @Test void runtime() { assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21); } }
