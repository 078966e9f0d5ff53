package org.mirage4j.drivers.kv;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo.Entry;
import org.mirage4j.api.KvRo.Kind;

class DirectoryKvRoTest {

  /** SHA-256 of "foo\n". */
  static final String FOO_SHA256 = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";

  @TempDir Path tmp;
  Path root;
  Path outside;
  DirectoryKvRo kv;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("passwd"), "root:x:0:0\n");
    Files.writeString(root.resolve("secret"), "foo\n");
    Files.createDirectories(root.resolve("css/themes"));
    Files.writeString(root.resolve("css/deck.css"), "body{}");
    Files.writeString(root.resolve("css/themes/dark.css"), "dark");
    kv = new DirectoryKvRo(root.toString());
    kv.connect();
  }

  @Test
  void readsValuesAndMetadata() throws IOException {
    assertThat(new String(kv.get("secret"), StandardCharsets.UTF_8)).isEqualTo("foo\n");
    assertThat(new String(kv.get("/css/deck.css"), StandardCharsets.UTF_8)).isEqualTo("body{}");
    assertThat(kv.size("secret")).isEqualTo(4);
    assertThat(kv.digest("secret")).isEqualTo(FOO_SHA256);
    Instant when = Instant.parse("2020-01-02T03:04:05Z");
    Files.setLastModifiedTime(root.resolve("secret"), FileTime.from(when));
    assertThat(kv.lastModified("secret")).isEqualTo(when);
  }

  @Test
  void listsDictionariesSortedWithKinds() throws IOException {
    assertThat(kv.list(""))
        .containsExactly(new Entry("css", Kind.DICTIONARY), new Entry("secret", Kind.VALUE))
        .inOrder();
    assertThat(kv.list("css/"))
        .containsExactly(new Entry("deck.css", Kind.VALUE), new Entry("themes", Kind.DICTIONARY))
        .inOrder();
    assertThat(kv.exists("css")).hasValue(Kind.DICTIONARY);
    assertThat(kv.exists("css/themes/dark.css")).hasValue(Kind.VALUE);
    assertThat(kv.exists("nope")).isEmpty();
  }

  @Test
  void missingKeysAreNotFound() {
    assertThrows(KvException.NotFound.class, () -> kv.get("missing"));
    assertThrows(KvException.NotFound.class, () -> kv.get("css/missing.css"));
    assertThrows(KvException.NotFound.class, () -> kv.size("missing"));
    assertThrows(KvException.NotFound.class, () -> kv.digest("missing"));
    assertThrows(KvException.NotFound.class, () -> kv.lastModified("missing"));
    assertThrows(KvException.NotFound.class, () -> kv.getPartial("missing", 0, 1));
    // A dictionary is not a value, and a value is not a dictionary.
    assertThrows(KvException.NotFound.class, () -> kv.get("css"));
    assertThrows(KvException.NotFound.class, () -> kv.list("secret"));
    assertThrows(KvException.NotFound.class, () -> kv.list("nothing"));
    KvException e = assertThrows(KvException.NotFound.class, () -> kv.get("missing"));
    assertThat(e.key()).isEqualTo("missing");
  }

  @Test
  void keysThatLeaveTheRootAreRefused() {
    for (String key :
        List.of(
            "..",
            "../outside/passwd",
            "css/../../outside/passwd",
            "css/./deck.css",
            "css//deck.css",
            "css\\deck.css",
            "..\\outside\\passwd",
            "secret\0.txt",
            "/../outside/passwd")) {
      assertThrows(KvException.BadKey.class, () -> kv.get(key), key);
      assertThrows(KvException.BadKey.class, () -> kv.exists(key), key);
    }
    assertThrows(KvException.BadKey.class, () -> kv.list("../outside"));
    // An absolute path is a key relative to the root like any other: it never reaches the file.
    assertThrows(KvException.NotFound.class, () -> kv.get(outside.resolve("passwd").toString()));
    assertThrows(KvException.NotFound.class, () -> kv.get("//" + outside.resolve("passwd")));
    assertThrows(KvException.BadKey.class, () -> kv.get(null));
  }

  @Test
  void symbolicLinksOutOfTheRootAreRefused() throws IOException {
    Files.createSymbolicLink(root.resolve("escape"), outside.resolve("passwd"));
    Files.createSymbolicLink(root.resolve("escape-dir"), outside);
    Files.createSymbolicLink(root.resolve("dangling-out"), outside.resolve("not-there"));
    assertThrows(KvException.BadKey.class, () -> kv.get("escape"));
    assertThrows(KvException.BadKey.class, () -> kv.get("escape-dir/passwd"));
    assertThrows(KvException.BadKey.class, () -> kv.list("escape-dir"));
    assertThrows(KvException.BadKey.class, () -> kv.exists("dangling-out"));
    assertThat(kv.list("").stream().map(Entry::name).toList()).containsExactly("css", "secret");
  }

  @Test
  void symbolicLinksInsideTheRootAreFollowed() throws IOException {
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("secret"));
    Files.createSymbolicLink(root.resolve("styles"), Path.of("css"));
    assertThat(kv.get("alias")).isEqualTo("foo\n".getBytes(StandardCharsets.UTF_8));
    assertThat(kv.get("styles/deck.css")).isEqualTo("body{}".getBytes(StandardCharsets.UTF_8));
    assertThat(kv.list("")).contains(new Entry("styles", Kind.DICTIONARY));
  }

  @Test
  void partialReads() throws IOException {
    assertThat(bytes(kv.getPartial("secret", 1, 2))).isEqualTo("oo");
    assertThat(bytes(kv.getPartial("secret", 2, 100))).isEqualTo("o\n");
    assertThat(bytes(kv.getPartial("secret", 4, 10))).isEmpty();
    assertThat(bytes(kv.getPartial("secret", 100, 10))).isEmpty();
    assertThrows(IllegalArgumentException.class, () -> kv.getPartial("secret", -1, 1));
    assertThrows(IllegalArgumentException.class, () -> kv.getPartial("secret", 0, -1));
  }

  @Test
  void seesChangesOnDiskAndRecomputesDigest() throws IOException {
    assertThrows(KvException.NotFound.class, () -> kv.get("later"));
    Files.writeString(root.resolve("later"), "now");
    assertThat(kv.get("later")).isEqualTo("now".getBytes(StandardCharsets.UTF_8));
    String before = kv.digest("secret");
    Files.writeString(root.resolve("secret"), "changed contents\n");
    assertThat(kv.digest("secret")).isNotEqualTo(before);
    Files.writeString(root.resolve("secret"), "foo\n");
    assertThat(kv.digest("secret")).isEqualTo(FOO_SHA256);
  }

  @Test
  void connectFailsClearlyWhenTheDirectoryIsMissingOrAFile() throws IOException {
    IOException missing =
        assertThrows(IOException.class, () -> new DirectoryKvRo(tmp.resolve("none").toString()).connect());
    assertThat(missing).hasMessageThat().contains("does not exist");
    IOException file =
        assertThrows(
            IOException.class,
            () -> new DirectoryKvRo(root.resolve("secret").toString()).connect());
    assertThat(file).hasMessageThat().contains("not a directory");
  }

  @Test
  void useBeforeConnectIsAnError() {
    DirectoryKvRo unconnected = new DirectoryKvRo(root.toString());
    assertThrows(IllegalStateException.class, () -> unconnected.get("secret"));
  }

  static String bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return new String(out, StandardCharsets.UTF_8);
  }
}
