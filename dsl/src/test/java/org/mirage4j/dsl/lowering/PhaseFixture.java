package org.mirage4j.dsl.lowering;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.dsl.mirage.Element;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.typing.Constants;
import org.mirage4j.dsl.typing.MirageTypes;

/**
 * A configuration written by a test, parsed and linked, for running one phase of lowering on it;
 * what the phase reports is kept as {@code file:line:col: SEVERITY CODE: message}.
 */
final class PhaseFixture implements AutoCloseable {

  final MirageTypes types = MirageFrontEnd.injector().getInstance(MirageTypes.class);
  final Constants constants = new Constants(types);
  final SourceLocator locator = new SourceLocator();
  final List<String> problems = new ArrayList<>();
  final Report report =
      new Report(
          (severity, code, where, feature, message) ->
              problems.add(locator.locate(where, feature) + ": " + severity + " " + code + ": " + message),
          locator);
  final MirageFrontEnd.Session session;
  final MirageFile file;

  private PhaseFixture(Path config) {
    this.session = MirageFrontEnd.open(config, null, config.getParent());
    this.file = session.file();
  }

  /** {@code config.mirage} in {@code dir}, one line per argument. */
  static PhaseFixture of(Path dir, String... lines) {
    Path config = dir.resolve("config.mirage");
    try {
      Files.writeString(config, String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PhaseFixture(config);
  }

  /** The file's jobs, in order. */
  List<JobDecl> jobs() {
    List<JobDecl> jobs = new ArrayList<>();
    for (Element e : file.getElements()) {
      if (e instanceof JobDecl j) {
        jobs.add(j);
      }
    }
    return jobs;
  }

  /** Each job's arguments, evaluated for {@code target} without configure keys. */
  List<List<Evaluated>> evaluate(Evaluator evaluator) {
    List<List<Evaluated>> args = new ArrayList<>();
    for (JobDecl j : jobs()) {
      args.add(evaluator.evaluateJob(j));
    }
    return args;
  }

  /** An evaluator for {@code target}, without configure keys. */
  Evaluator evaluator(String target) {
    return new Evaluator(types, constants, file, target, (key, group) -> null, report);
  }

  @Override
  public void close() {
    session.close();
  }
}
