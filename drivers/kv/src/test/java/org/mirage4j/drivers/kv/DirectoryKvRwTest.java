package org.mirage4j.drivers.kv;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo.Entry;
import org.mirage4j.api.KvRo.Kind;

class DirectoryKvRwTest {

  @TempDir Path tmp;
  Path root;
  Path outside;
  DirectoryKvRw kv;

  @BeforeEach
  void setUp() throws IOException {
    root = tmp.resolve("store/data"); // missing: connect creates it
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "keep");
    kv = new DirectoryKvRw(root.toString());
    kv.connect();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void connectCreatesTheDirectory() {
    assertThat(Files.isDirectory(root)).isTrue();
  }

  @Test
  void setThenGetCreatesDictionaries() throws IOException {
    kv.set("a/b/c.txt", utf8("one"));
    kv.set("/top", utf8("two"));
    assertThat(kv.get("a/b/c.txt")).isEqualTo(utf8("one"));
    assertThat(kv.exists("a/b")).hasValue(Kind.DICTIONARY);
    assertThat(kv.list("")).containsExactly(new Entry("a", Kind.DICTIONARY), new Entry("top", Kind.VALUE)).inOrder();
    kv.set("top", utf8("replaced"));
    assertThat(kv.get("top")).isEqualTo(utf8("replaced"));
    assertThat(Files.readString(root.resolve("top"))).isEqualTo("replaced");
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".kv-tmp-")).toList()).isEmpty();
    }
  }

  @Test
  void badKeysAreRefusedAndWriteNothingOutside() throws IOException {
    for (String key : List.of("", "/", "../escaped", "a/../../escaped", "a\\b", "x\0y", "a//b")) {
      assertThrows(KvException.BadKey.class, () -> kv.set(key, utf8("x")), key);
    }
    assertThat(Files.exists(tmp.resolve("store/escaped"))).isFalse();
    assertThat(Files.exists(tmp.resolve("escaped"))).isFalse();
    assertThrows(KvException.BadKey.class, () -> kv.remove("../../outside"));
    assertThrows(KvException.BadKey.class, () -> kv.remove(""));
    assertThrows(KvException.BadKey.class, () -> kv.rename("../../outside/keep", "stolen"));
    assertThat(Files.readString(outside.resolve("keep"))).isEqualTo("keep");
  }

  @Test
  void writesDoNotFollowLinksOutOfTheRoot() throws IOException {
    Files.createSymbolicLink(root.resolve("out"), outside);
    assertThrows(KvException.BadKey.class, () -> kv.set("out/keep", utf8("overwritten")));
    assertThrows(KvException.BadKey.class, () -> kv.set("out/new/file", utf8("x")));
    assertThrows(KvException.BadKey.class, () -> kv.get("out/keep"));
    assertThrows(KvException.BadKey.class, () -> kv.remove("out/keep"));
    assertThat(Files.readString(outside.resolve("keep"))).isEqualTo("keep");
    assertThat(Files.exists(outside.resolve("new"))).isFalse();
    // Removing the link itself removes the link, never what it points to.
    kv.remove("out");
    assertThat(Files.exists(root.resolve("out"))).isFalse();
    assertThat(Files.readString(outside.resolve("keep"))).isEqualTo("keep");
    // A value that is a link out is replaced, not written through.
    Files.createSymbolicLink(root.resolve("link"), outside.resolve("keep"));
    kv.set("link", utf8("mine"));
    assertThat(Files.isSymbolicLink(root.resolve("link"))).isFalse();
    assertThat(kv.get("link")).isEqualTo(utf8("mine"));
    assertThat(Files.readString(outside.resolve("keep"))).isEqualTo("keep");
  }

  @Test
  void conflictsBetweenValuesAndDictionaries() throws IOException {
    kv.set("file", utf8("v"));
    KvException inTheWay = assertThrows(KvException.class, () -> kv.set("file/child", utf8("x")));
    assertThat(inTheWay).isNotInstanceOf(KvException.BadKey.class);
    kv.set("dir/child", utf8("x"));
    assertThrows(KvException.class, () -> kv.set("dir", utf8("x")));
    assertThat(kv.get("dir/child")).isEqualTo(utf8("x"));
  }

  @Test
  void removeValuesAndWholeDictionaries() throws IOException {
    kv.set("d/e/f", utf8("1"));
    kv.set("d/g", utf8("2"));
    kv.set("h", utf8("3"));
    kv.remove("h");
    assertThat(kv.exists("h")).isEmpty();
    kv.remove("d");
    assertThat(kv.exists("d")).isEmpty();
    assertThat(kv.list("")).isEmpty();
    kv.remove("never/was"); // absent: nothing happens
    assertThrows(KvException.NotFound.class, () -> kv.get("h"));
  }

  @Test
  void renameMovesAndReplaces() throws IOException {
    kv.set("a", utf8("A"));
    kv.set("b", utf8("B"));
    kv.rename("a", "sub/b2");
    assertThat(kv.exists("a")).isEmpty();
    assertThat(kv.get("sub/b2")).isEqualTo(utf8("A"));
    kv.rename("sub/b2", "b");
    assertThat(kv.get("b")).isEqualTo(utf8("A"));
    assertThrows(KvException.NotFound.class, () -> kv.rename("missing", "x"));
    assertThrows(KvException.BadKey.class, () -> kv.rename("b", "../../outside/b"));
    assertThat(Files.exists(outside.resolve("b"))).isFalse();
  }

  @Test
  void readersNeverSeeAHalfWrittenValue() throws Exception {
    byte[] a = new byte[256 * 1024];
    byte[] b = new byte[256 * 1024];
    Arrays.fill(a, (byte) 'a');
    Arrays.fill(b, (byte) 'b');
    kv.set("big", a);
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                while (!done.get()) {
                  byte[] got = kv.get("big");
                  if (!Arrays.equals(got, a) && !Arrays.equals(got, b)) {
                    failure.set(new AssertionError("torn read of " + got.length + " bytes"));
                    return;
                  }
                }
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    reader.start();
    for (int i = 0; i < 40; i++) {
      kv.set("big", i % 2 == 0 ? b : a);
    }
    done.set(true);
    reader.join();
    assertThat(failure.get()).isNull();
  }
}
