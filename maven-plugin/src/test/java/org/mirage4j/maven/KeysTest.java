package org.mirage4j.maven;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class KeysTest {

  static AbstractMirageMojo mojo(Map<String, String> keys, String keyList) {
    AbstractMirageMojo mojo = new AbstractMirageMojo() {
      @Override
      public void execute() {}
    };
    mojo.keys = keys;
    mojo.keyList = keyList;
    return mojo;
  }

  @Test
  void mapAndPropertyMergeThePropertyWinning() throws Exception {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("net", "socket");
    map.put("memory", " 512 ");
    assertThat(mojo(map, "net=direct, kv_ro=crunch,").configureKeys())
        .containsExactly("kv_ro", "crunch", "memory", "512", "net", "direct").inOrder();
    assertThat(mojo(null, null).configureKeys()).isEmpty();
    assertThat(mojo(null, "  ").configureKeys()).isEmpty();
  }

  @Test
  void malformedPropertyFailsWithAShortMessage() {
    MojoFailureException e =
        assertThrows(MojoFailureException.class, () -> mojo(null, "net").configureKeys());
    assertThat(e).hasMessageThat().startsWith("mirage.keys: 'net' is not KEY=VALUE");
    assertThrows(MojoFailureException.class, () -> mojo(null, "=x").configureKeys());
  }
}
