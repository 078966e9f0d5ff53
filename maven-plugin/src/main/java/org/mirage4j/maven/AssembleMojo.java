package org.mirage4j.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.mirage4j.tooling.RunnableJar;
import org.mirage4j.tooling.UnikernelInfo;

/**
 * Assembles the runnable unikernel: {@code target/<name>.jar}, the project's classes and every
 * runtime dependency in one jar whose {@code Main-Class} is the generated wiring ({@code java -jar
 * target/slides.jar --port=8080}; on unix the launcher {@code target/mirage/unix/<name>} runs it).
 * No shade configuration is needed. Bound to {@code package}; list it before {@code image}, which
 * builds a guest's boot image from this jar. The same inputs give the same bytes; an unchanged
 * build writes nothing.
 */
@Mojo(name = "assemble", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class AssembleMojo extends AbstractMirageMojo {

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skipped()) {
      return;
    }
    Path build = Path.of(project.getBuild().getDirectory());
    UnikernelInfo info;
    try {
      info = UnikernelInfo.read(build);
    } catch (IOException e) {
      throw new MojoFailureException("mirage:assemble: " + e.getMessage());
    }
    List<Path> classpath = new ArrayList<>();
    try {
      for (String element : project.getRuntimeClasspathElements()) {
        classpath.add(Path.of(element));
      }
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("the runtime class path is not resolved", e);
    }
    Path out = build.resolve(info.name() + ".jar");
    try {
      if (upToDate(out, classpath)) {
        getLog().info("mirage:assemble: " + build.relativize(out) + " is up to date");
        return;
      }
      int n = RunnableJar.write(out, classpath, info.mainClass(), project.getVersion());
      getLog().info(String.format("mirage:assemble: %s (%d entries, %.1f MB); run it: java -jar %s%s",
          displayBase().relativize(out.toAbsolutePath().normalize()), n, Files.size(out) / 1e6,
          displayBase().relativize(out.toAbsolutePath().normalize()),
          info.target().equals("unix") ? " (or target/mirage/unix/" + info.name() + ")" : ""));
    } catch (IOException e) {
      throw new MojoFailureException("mirage:assemble: cannot write " + out + ": " + e.getMessage());
    }
  }

  /** Whether {@code out} is newer than every file it is made of. */
  private static boolean upToDate(Path out, List<Path> classpath) throws IOException {
    if (!Files.isRegularFile(out)) {
      return false;
    }
    long made = Files.getLastModifiedTime(out).toMillis();
    for (Path element : classpath) {
      if (Files.isDirectory(element)) {
        try (Stream<Path> walk = Files.walk(element)) {
          if (walk.anyMatch(p -> {
            try {
              return Files.getLastModifiedTime(p).toMillis() >= made;
            } catch (IOException e) {
              return true;
            }
          })) {
            return false;
          }
        }
      } else if (Files.exists(element) && Files.getLastModifiedTime(element).toMillis() >= made) {
        return false;
      }
    }
    return true;
  }

}
