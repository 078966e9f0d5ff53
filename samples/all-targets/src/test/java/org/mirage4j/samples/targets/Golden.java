package org.mirage4j.samples.targets;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mirage4j.model.UnikernelModel;

/**
 * The golden files of this module: for each sample and target, the model the front end lowers it to
 * ({@code src/test/golden/<sample>/<target>-<arch>.model}, written by {@link ModelText}), which is
 * what only this module checks. The files the generator writes from a model are not recorded here:
 * the generator's golden files ({@code generator/src/test/resources/golden/<case>/<target>/}) hold
 * one full generated tree per target, so that a change of the generator re-records one set. Here
 * the generated wiring is compiled against the real drivers and the sample's job classes and its
 * {@code .xl} read by Xen's parser, which needs no copy of them. Re-record with {@code
 * -Dmirage.golden.record=true}.
 */
final class Golden {

  private Golden() {}

  static Path root() {
    return Path.of(System.getProperty("mirage.samplesDir")).resolve("all-targets/src/test/golden").normalize();
  }

  static void compare(UnikernelModel model, String name) throws IOException {
    Path golden = root().resolve(name + ".model");
    String text = ModelText.of(model);
    if (Boolean.getBoolean("mirage.golden.record")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, text, StandardCharsets.UTF_8);
      return;
    }
    assertWithMessage("%s is missing (record it with -Dmirage.golden.record=true)", golden)
        .that(Files.exists(golden)).isTrue();
    assertWithMessage("the model of %s differs from %s (re-record with -Dmirage.golden.record=true)",
            name, root().relativize(golden))
        .that(text)
        .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
