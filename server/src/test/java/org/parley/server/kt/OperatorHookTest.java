package org.parley.server.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
import org.parley.server.misbehaviour.MisbehavingOperator;

/**
 * How a server finds its {@link OperatorHook}: the honest one unless the test switch is on, and
 * with the switch only the one test code registers; a class path without it (a production build) is
 * refused rather than run honestly under a switch that promised otherwise.
 */
class OperatorHookTest {
  private static final ClassLoader TEST_CLASS_PATH = OperatorHookTest.class.getClassLoader();

  @Test
  void withoutTheSwitchTheServerIsHonestEvenWhereAnImplementationIsOnTheClassPath() {
    assertThat(OperatorHook.load(false, TEST_CLASS_PATH)).isSameAs(OperatorHook.NONE);
  }

  @Test
  void withTheSwitchEachServerGetsItsOwnTestImplementation() {
    OperatorHook first = OperatorHook.load(true, TEST_CLASS_PATH);
    assertThat(first).isInstanceOf(MisbehavingOperator.class);
    assertThat(OperatorHook.load(true, TEST_CLASS_PATH)).isNotSameAs(first);
  }

  @Test
  void withTheSwitchAClassPathWithoutAnImplementationIsRefused() throws Exception {
    // sees the JDK only: no META-INF/services file names an implementation
    try (var empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> OperatorHook.load(true, empty))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--kt-test-misbehaviour")
          .hasMessageContaining("found 0");
    }
  }
}
