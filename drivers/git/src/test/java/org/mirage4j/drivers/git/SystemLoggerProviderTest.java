package org.mirage4j.drivers.git;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JGit's SLF4J logging lands in System.Logger, with its levels. */
class SystemLoggerProviderTest {

  @Test
  void slf4jLoggersAreSystemLoggers() {
    Logger log = LoggerFactory.getLogger("org.eclipse.jgit.transport.Test");
    assertThat(log.getClass().getName()).isEqualTo(SystemLoggerProvider.class.getName() + "$Adapter");
    assertThat(log.getName()).isEqualTo("org.eclipse.jgit.transport.Test");
    System.Logger system = System.getLogger("org.eclipse.jgit.transport.Test");
    assertThat(log.isDebugEnabled()).isEqualTo(system.isLoggable(System.Logger.Level.DEBUG));
    assertThat(log.isErrorEnabled()).isEqualTo(system.isLoggable(System.Logger.Level.ERROR));
    log.warn("a {} with {} arguments", "warning", 2); // formatted by SLF4J's rules, must not throw
  }
}
