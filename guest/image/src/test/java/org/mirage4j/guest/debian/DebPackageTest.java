package org.mirage4j.guest.debian;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebPackageTest {

  @Test
  void readsTheControlFieldsAndExtractsTheData(@TempDir Path tmp) throws IOException {
    Path deb = TestDebs.write(tmp.resolve("hello_1.0_amd64.deb"), "hello", "1:1.0-2", Map.of(
        "./usr/bin/hello", "#!/bin/sh\necho hi\n",
        "./etc/hello.conf", "greeting=hi\n",
        "./usr/lib/hello/conf", "->/etc/hello.conf",
        "./usr/lib/hello/relative", "->../../bin/hello"));
    assertThat(DebPackage.of(deb).control()).containsAtLeast("Package", "hello", "Version", "1:1.0-2");

    Path root = tmp.resolve("root");
    DebPackage.of(deb).extractTo(root);
    assertThat(Files.readString(root.resolve("usr/bin/hello"))).contains("echo hi");
    assertThat(Files.isExecutable(root.resolve("usr/bin/hello"))).isTrue();
    // an absolute link points inside the tree, a relative one stays as it was
    assertThat(Files.readSymbolicLink(root.resolve("usr/lib/hello/conf")).toString()).isEqualTo("../../../etc/hello.conf");
    assertThat(Files.readString(root.resolve("usr/lib/hello/conf"))).isEqualTo("greeting=hi\n");
    assertThat(Files.readSymbolicLink(root.resolve("usr/lib/hello/relative")).toString()).isEqualTo("../../bin/hello");
  }

  @Test
  void refusesEntriesThatLeaveTheTree(@TempDir Path tmp) throws IOException {
    Path evil = TestDebs.write(tmp.resolve("evil.deb"), "evil", "1", Map.of("./../../outside", "x"));
    IOException e = assertThrows(IOException.class, () -> DebPackage.of(evil).extractTo(tmp.resolve("root")));
    assertThat(e).hasMessageThat().contains("outside");
    Path link = TestDebs.write(tmp.resolve("link.deb"), "link", "1", Map.of("./a/b", "->../../../../etc/passwd"));
    e = assertThrows(IOException.class, () -> DebPackage.of(link).extractTo(tmp.resolve("root2")));
    assertThat(e).hasMessageThat().contains("leaves the package");
  }

  @Test
  void aFileThatIsNotAPackageSaysSo(@TempDir Path tmp) throws IOException {
    Path junk = Files.writeString(tmp.resolve("junk.deb"), "not an ar archive at all");
    IOException e = assertThrows(IOException.class, () -> DebPackage.of(junk).control());
    assertThat(e).hasMessageThat().contains("junk.deb");
  }
}
