package org.mirage4j.dsl.lowering;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.model.HostResource;

/**
 * A device node under construction: one driver applied to evaluated arguments. The evaluator
 * creates it (and names it after the device that holds it), the model builder gives it its id.
 */
final class Node {
  final DriverDecl driver;
  final List<Param> params;
  final List<Evaluated> args;
  /** Where in the user's file the application was made (problems with it are shown there). */
  final EObject site;
  /** The driver and its arguments: two applications with the same identity are one node. */
  final String identity;
  final List<HostResource> resources = new ArrayList<>();
  /** The name of the device that holds it, if any. */
  String preferredName;
  /** Whether {@link #preferredName} is a device of the user's own file. */
  boolean namedByUser;
  /** The node's id in the model, unique among the nodes. */
  String id;

  Node(DriverDecl driver, List<Param> params, List<Evaluated> args, EObject site, String identity) {
    this.driver = driver;
    this.params = params;
    this.args = args;
    this.site = site;
    this.identity = identity;
  }
}
