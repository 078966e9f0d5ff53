package org.mirage4j.model;

import java.util.List;
import java.util.Objects;

/**
 * One application class of the unikernel and what its constructor receives.
 *
 * @param name a unique name for the job ({@code SlideServer}, or as written after {@code as})
 * @param className the fully qualified class, which implements {@code org.mirage4j.api.Job}
 * @param arguments the constructor's arguments in order
 * @param dependencies ids of the devices it receives, without repeats
 * @param location where the job is declared
 */
public record JobNode(
    String name,
    String className,
    List<Argument> arguments,
    List<String> dependencies,
    SourceLocation location) {

  /** Copies the lists and requires every component. */
  public JobNode {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(location, "location");
    arguments = List.copyOf(arguments);
    dependencies = List.copyOf(dependencies);
  }
}
