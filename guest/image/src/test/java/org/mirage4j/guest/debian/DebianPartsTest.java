package org.mirage4j.guest.debian;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.guest.image.PartSources;

/** Parts from the user's directories and the cache, pinned by the lock, without any archive. */
class DebianPartsTest {

  @Test
  void aGivenPartMatchingTheLockIsUsedCachedAndExtracted(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("debs"));
    Path deb = TestDebs.write(dir.resolve("tool_1.0_amd64.deb"), "tool", "1.0", Map.of("./bin/tool", "x"));
    PartsLock lock = PartsLock.load(tmp.resolve("mirage-guest.lock"));
    lock.put(new PartsLock.Entry("tool", "amd64", "1.0", DebianParts.sha256(deb), Files.size(deb)));
    List<String> log = new ArrayList<>();
    DebianParts parts = new DebianParts(tmp.resolve("cache"), lock, List.of(dir), Optional.empty(), PartSources.Pinning.EXACT, log::add);

    Path cached = parts.deb("tool", "amd64");
    assertThat(cached.startsWith(tmp.resolve("cache"))).isTrue();
    assertThat(Files.readString(parts.extracted("tool", "amd64").resolve("bin/tool"))).isEqualTo("x");
    // the cache serves it from now on, even with the user's copy gone
    Files.delete(deb);
    assertThat(parts.deb("tool", "amd64")).isEqualTo(cached);
  }

  @Test
  void aPartWhoseSha256DiffersFromTheLockIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("debs"));
    Path deb = TestDebs.write(dir.resolve("tool_1.0_amd64.deb"), "tool", "1.0", Map.of("./bin/tool", "tampered"));
    PartsLock lock = PartsLock.load(tmp.resolve("mirage-guest.lock"));
    lock.put(new PartsLock.Entry("tool", "amd64", "1.0", "0".repeat(64), Files.size(deb)));
    DebianParts parts = new DebianParts(tmp.resolve("cache"), lock, List.of(dir), Optional.empty(), PartSources.Pinning.EXACT, s -> {});
    GuestImageException e = assertThrows(GuestImageException.class, () -> parts.deb("tool", "amd64"));
    assertThat(e).hasMessageThat().startsWith("refusing part " + deb + ": its SHA-256 is " + DebianParts.sha256(deb));
    assertThat(e).hasMessageThat().contains("pins tool 1.0 (amd64) to " + "0".repeat(64));
  }

  @Test
  void aMissingPartNamesItselfAndHowToGetIt(@TempDir Path tmp) throws Exception {
    PartsLock lock = PartsLock.load(tmp.resolve("mirage-guest.lock"));
    lock.put(new PartsLock.Entry("busybox-static", "arm64", "1:1.35.0-4", "a".repeat(64), 10));
    DebianParts parts = new DebianParts(tmp.resolve("cache"), lock, List.of(), Optional.empty(), PartSources.Pinning.EXACT, s -> {});
    GuestImageException e = assertThrows(GuestImageException.class, () -> parts.deb("busybox-static", "arm64"));
    assertThat(e).hasMessageThat().contains("missing guest part busybox-static 1:1.35.0-4 (arm64)");
    assertThat(e).hasMessageThat().contains("busybox-static_1%3a1.35.0-4_arm64.deb");
    assertThat(e).hasMessageThat().contains("-Dmirage.guest.parts=DIR");
    // and one that is not even locked
    e = assertThrows(GuestImageException.class, () -> parts.deb("zlib1g", "arm64"));
    assertThat(e).hasMessageThat().contains("missing guest part zlib1g (arm64)");
  }

  @Test
  void theLockReadsWhatItWritesAndNamesABadLine(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("mirage-guest.lock");
    PartsLock lock = PartsLock.load(file);
    lock.put(new PartsLock.Entry("zlib1g", "amd64", "1:1.2.13", "b".repeat(64), 86880));
    lock.put(new PartsLock.Entry("busybox-static", "amd64", "1:1.35", "c".repeat(64), 928188));
    lock.putAlias("linux-image-cloud-amd64", "amd64", "linux-image-6.1.0-57-cloud-amd64");
    assertThat(lock.save()).isTrue();
    assertThat(lock.save()).isFalse(); // nothing new
    String text = Files.readString(file);
    assertThat(text.indexOf("busybox-static")).isLessThan(text.indexOf("zlib1g")); // sorted
    PartsLock again = PartsLock.load(file);
    assertThat(again.text()).isEqualTo(text);
    assertThat(again.alias("linux-image-cloud-amd64", "amd64")).hasValue("linux-image-6.1.0-57-cloud-amd64");

    Files.writeString(file, text + "package broken\n");
    IOException e = assertThrows(IOException.class, () -> PartsLock.load(file));
    assertThat(e).hasMessageThat().contains(":7: not a lock entry: package broken");
  }
}
