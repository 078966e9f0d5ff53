package org.mirage4j.generator;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.SourceLocation;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.ValueType;

/**
 * The generator's one entry point: from a {@link UnikernelModel} and the output directories, writes
 * the wiring class, the crunched resources and the target's artifacts, and returns what it wrote.
 *
 * <pre>{@code
 * GenerationResult result = MirageGenerator.generate(GeneratorRequest.of(model, projectDir, target));
 * result.diagnostics().forEach(System.err::println);
 * }</pre>
 *
 * <p>Per kind of target (the {@link TargetBackend} of the model's platform):
 *
 * <ul>
 *   <li>every target: {@code <javaOutput>/<package>/<Name>Unikernel.java}, and the crunched
 *       directories under {@code <resourcesOutput>/META-INF/mirage/crunch/};
 *   <li>{@code unix}: {@code <buildDir>/mirage/unix/<name>}, a launcher script;
 *   <li>{@code xen}, {@code arm}: {@code <buildDir>/mirage/<target>/<name>.xl}, {@code
 *       <name>.xl.in}, {@code <name>.libvirt.xml} (and its template {@code .libvirt.xml.in}) and
 *       {@code <name>.guest}, the guest's description for the image builder.
 * </ul>
 *
 * <p>The model is checked first for what only the generator cares about (option names, guest
 * settings, names that must become Java or {@code xl} text); if anything is wrong, nothing is
 * written. The output depends on the request alone: the same request gives the same bytes.
 */
public final class MirageGenerator {

  private MirageGenerator() {}

  /** Generates everything for {@code request}; problems are in the result, never thrown. */
  public static GenerationResult generate(GeneratorRequest request) {
    Diagnostics diagnostics = new Diagnostics();
    List<OutputFile> files = plan(request, diagnostics);
    if (diagnostics.hasErrors()) {
      return new GenerationResult(List.of(), List.of(), diagnostics.all());
    }
    return new OutputFiles(request, diagnostics).apply(files);
  }

  /**
   * The wiring class alone, as source text, without touching the file system; {@code null} (with
   * diagnostics) if the model cannot be generated. For tests and for tools that compile in memory.
   */
  public static String wiringSource(GeneratorRequest request, Diagnostics diagnostics) {
    check(request, diagnostics);
    if (diagnostics.hasErrors()) {
      return null;
    }
    JavaFile file = new WiringWriter(request, diagnostics).write();
    return file == null ? null : file.toString();
  }

  /** The fully qualified name of the wiring class the request generates ({@code org.mirage4j.generated.SlidesUnikernel}). */
  public static String wiringClassName(GeneratorRequest request) {
    return WiringWriter.className(request).canonicalName();
  }

  /** Every file of the request, in memory. */
  static List<OutputFile> plan(GeneratorRequest request, Diagnostics diagnostics) {
    UnikernelModel model = request.model();
    check(request, diagnostics);
    if (diagnostics.hasErrors()) {
      return List.of();
    }
    List<OutputFile> files = new ArrayList<>();
    JavaFile wiring = new WiringWriter(request, diagnostics).write();
    if (wiring != null) {
      String path = wiring.packageName().isEmpty()
          ? wiring.typeSpec().name() + ".java"
          : wiring.packageName().replace('.', '/') + "/" + wiring.typeSpec().name() + ".java";
      files.add(OutputFile.text(OutputFile.Root.JAVA, path, wiring.toString(), false));
    }
    files.addAll(new CrunchWriter(model, request.projectDir(), diagnostics).write());
    files.add(AppInfoWriter.write(request));

    files.addAll(TargetBackend.of(model.platform().kind()).artifacts(request, diagnostics));
    return files;
  }

  /** What the generator needs beyond what the model's constructor already guarantees. */
  static void check(GeneratorRequest request, Diagnostics diagnostics) {
    UnikernelModel model = request.model();
    if (!GuestSettings.XL_SAFE.matcher(model.name()).matches()) {
      diagnostics.error(model.location(), Diagnostic.Code.NAME,
          "unikernel name '" + model.name() + "' must be letters, digits and - _ . only:"
              + " it names files and the guest");
    }
    if (!JavaNames.isPackage(request.packageName())) {
      diagnostics.error(model.location(), Diagnostic.Code.NAME, "'" + request.packageName() + "' is not a Java package name");
    }
    for (RuntimeKey key : model.runtimeKeys()) {
      if (key.name().equals("help") || key.name().equals("version") || key.name().equals("logs")) {
        diagnostics.error(key.location(), Diagnostic.Code.KEY,
            "runtime key '" + key.name() + "' clashes with the built-in option --" + key.name());
      } else if (!key.name().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
        diagnostics.error(key.location(), Diagnostic.Code.KEY,
            "runtime key '" + key.name() + "' cannot be a command-line option name");
      }
      if (key.type() instanceof ValueType.ListOf l && l.element() instanceof ValueType.ListOf) {
        diagnostics.error(key.location(), Diagnostic.Code.KEY,
            "runtime key '" + key.name() + "' has type " + key.type().display()
                + ": a list of lists cannot be written on a command line");
      }
      if (!key.required() && key.defaultValue().isEmpty()) {
        diagnostics.warning(key.location(), Diagnostic.Code.KEY,
            "runtime key '" + key.name() + "' has no default, so it is required");
      }
      if (key.defaultValue().isPresent() && !JavaValues.fits(key.defaultValue().get(), key.type())) {
        diagnostics.error(key.location(), Diagnostic.Code.KEY,
            "the default of runtime key '" + key.name() + "' is not a " + key.type().display());
      }
    }
    TargetBackend.of(model.platform().kind()).check(request, diagnostics);
  }

  /**
   * Removes the generated artifacts of targets other than {@code target} from {@code
   * <buildDir>/mirage/*}/: after a switch from unix to xen, the unix launcher must not linger.
   * Only files that carry the generator's marker are removed; anything else is left alone.
   *
   * @param problems receives a warning when a directory cannot be read or a file removed
   * @return the files removed, sorted
   */
  public static List<Path> removeOtherTargets(Path buildDir, String target, List<Diagnostic> problems) {
    List<Path> removed = new ArrayList<>();
    Path mirage = GeneratorRequest.artifactsRoot(buildDir);
    if (!Files.isDirectory(mirage)) {
      return removed;
    }
    try (Stream<Path> dirs = Files.list(mirage)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        if (dir.getFileName().toString().equals(target)) {
          continue;
        }
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            if (Markers.isMarked(f)) {
              Files.delete(f);
              removed.add(f);
            }
          }
        }
        try (Stream<Path> rest = Files.list(dir)) {
          if (rest.findAny().isEmpty()) {
            Files.delete(dir);
          }
        }
      }
    } catch (IOException e) {
      problems.add(Diagnostic.warning(SourceLocation.file(mirage.toString()), Diagnostic.Code.OUTPUT,
          "cannot remove the artifacts of other targets: " + e.getMessage()));
    }
    return removed;
  }
}
