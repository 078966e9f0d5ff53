package org.mirage4j.host;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostToolsTest {

  @Test
  void findsACommandOnThePathAndNotOneThatDoesNotExist() {
    assertThat(HostTools.find("sh")).isPresent();
    assertThat(HostTools.find("no-such-command-mirage4j")).isEmpty();
  }

  @Test
  void aPresentCommandIsReturnedWithoutInstalling() throws Exception {
    List<String> log = new ArrayList<>();
    assertThat(HostTools.require("sh", "dash", log::add).getFileName().toString()).isEqualTo("sh");
    assertThat(log).isEmpty();
    assertThat(HostTools.unavailable("sh", "dash")).isNull();
  }

  @Test
  void aMissingCommandThatCannotBeInstalledNamesThePackage() {
    MissingHostToolException e = assertThrows(MissingHostToolException.class,
        () -> HostTools.require("no-such-command-mirage4j", "no-such-package-mirage4j", m -> { }, false));
    assertThat(e.getMessage())
        .isEqualTo("no-such-command-mirage4j is not installed; on Debian or Ubuntu: sudo apt-get install no-such-package-mirage4j");
  }
}
