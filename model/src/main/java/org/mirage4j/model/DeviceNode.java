package org.mirage4j.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One device instance of the graph: a driver applied to arguments. Two applications of the same
 * driver to the same arguments are one node (shared, as Functoria does).
 *
 * @param id unique within the model, a valid Java identifier fragment ({@code stack}, {@code
 *     http_stack_network}); the generator derives field names from it
 * @param name the name shown to the user in messages (the {@code device} name, or a description
 *     like {@code tap("tap0")} for an anonymous application)
 * @param typeName the device type in the language ({@code stack})
 * @param typeInterface the Java interface of the type ({@code org.mirage4j.api.Stack})
 * @param driverName the driver in the language ({@code socket_stack})
 * @param driverClass the Java class implementing it
 * @param factoryMethod a static factory method of {@code driverClass} to call instead of its
 *     constructor, if the driver names one
 * @param arguments the constructor's arguments, in parameter order
 * @param dependencies ids of the devices this one receives, in argument order, without repeats
 * @param resources what the device needs from a guest's host (for {@code xen} and {@code arm})
 * @param location where the application is written in the configuration
 */
public record DeviceNode(
    String id,
    String name,
    String typeName,
    String typeInterface,
    String driverName,
    String driverClass,
    Optional<String> factoryMethod,
    List<Argument> arguments,
    List<String> dependencies,
    List<HostResource> resources,
    SourceLocation location) {

  /** Copies the lists and requires every component. */
  public DeviceNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(typeName, "typeName");
    Objects.requireNonNull(typeInterface, "typeInterface");
    Objects.requireNonNull(driverName, "driverName");
    Objects.requireNonNull(driverClass, "driverClass");
    Objects.requireNonNull(factoryMethod, "factoryMethod");
    Objects.requireNonNull(location, "location");
    arguments = List.copyOf(arguments);
    dependencies = List.copyOf(dependencies);
    resources = List.copyOf(resources);
  }
}
