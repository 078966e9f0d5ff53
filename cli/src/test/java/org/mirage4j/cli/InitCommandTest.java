package org.mirage4j.cli;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {

  @Test
  void writesTheArchetypesProjectWithTheNamesFilledIn(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("greeter");
    MainTest.Run r = MainTest.run("init", "greeter", "-d", dir.toString(), "--group", "org.example");
    assertThat(r.status()).isEqualTo(0);
    assertThat(r.out()).contains("created " + dir + ": unikernel greeter (job org.example.greeter.Greeter); next: cd "
        + dir + " && ./mvnw package");
    String pom = Files.readString(dir.resolve("pom.xml"));
    assertThat(pom).contains("<groupId>org.example</groupId>");
    assertThat(pom).contains("<artifactId>greeter</artifactId>");
    assertThat(pom).contains("<mirage4j.version>" + Main.version() + "</mirage4j.version>");
    assertThat(pom).contains("<version>${mirage4j.version}</version>"); // Maven's, not the template's
    assertThat(pom).doesNotContain("${artifactId}");
    assertThat(Files.readString(dir.resolve("config.mirage"))).contains("unikernel greeter\n");
    assertThat(Files.readString(dir.resolve("config.mirage"))).contains("job org.example.greeter.Greeter(");
    assertThat(Files.readString(dir.resolve("src/main/java/org/example/greeter/Greeter.java")))
        .startsWith("package org.example.greeter;");
    assertThat(Files.exists(dir.resolve("src/test/java/org/example/greeter/GreeterTest.java"))).isTrue();
  }

  @Test
  void nothingOfTheUsersIsOverwrittenAndBadNamesAreUsageErrors(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(dir.resolve("pom.xml"), "my own pom");
    MainTest.Run r = MainTest.run("init", "greeter", "-d", dir.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("exists and is not empty; nothing was written");
    assertThat(Files.readString(dir.resolve("pom.xml"))).isEqualTo("my own pom");

    r = MainTest.run("init", "9lives", "-d", tmp.resolve("x").toString());
    assertThat(r.status()).isEqualTo(64);
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(Files.exists(tmp.resolve("x"))).isFalse();
  }

  @Test
  void theTemplatesAreExactlyTheArchetypes() throws Exception {
    Path archetype = Path.of("../archetype/src/main/resources/archetype-resources").toAbsolutePath().normalize();
    List<String> files;
    try (Stream<Path> walk = Files.walk(archetype)) {
      files = walk.filter(Files::isRegularFile).map(p -> archetype.relativize(p).toString()).sorted().toList();
    }
    // and the repository's Maven wrapper, which the archetype's and the CLI's builds add
    List<String> expected = new java.util.ArrayList<>(files);
    expected.add("mvnw");
    expected.add(".mvn/wrapper/maven-wrapper.properties");
    assertThat(InitCommand.templateNames()).containsExactlyElementsIn(expected);
  }

  @Test
  void theProjectBuildsWithOnlyAJdkThroughTheRepositorysMavenWrapper(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("greeter");
    assertThat(MainTest.run("init", "greeter", "-d", dir.toString()).status()).isEqualTo(0);
    assertThat(Files.isExecutable(dir.resolve("mvnw"))).isTrue();
    assertThat(Files.readString(dir.resolve("mvnw"))).isEqualTo(Files.readString(Path.of("../mvnw")));
    assertThat(Files.readString(dir.resolve(".mvn/wrapper/maven-wrapper.properties")))
        .isEqualTo(Files.readString(Path.of("../.mvn/wrapper/maven-wrapper.properties")));
  }
}
