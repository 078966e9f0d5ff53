package org.mirage4j.dsl.check;

import static org.mirage4j.dsl.check.IssueCodes.BAD_ARGUMENT;
import static org.mirage4j.dsl.check.IssueCodes.DUPLICATE;
import static org.mirage4j.dsl.check.IssueCodes.UNUSED;
import static org.mirage4j.dsl.check.Problems.text;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.DRIVER_DECL__TARGETS;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.KEY_DECL__ALIASES;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.MATCH_EXPR__KEY;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.NAMED__NAME;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.REF_EXPR__REF;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.TARGET_DECL__NAME;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.TYPE_DECL__NAME;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.UNIKERNEL__NAME;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.emf.common.util.TreeIterator;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.dsl.mirage.ChoiceTypeExpr;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.Element;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.KeyStage;
import org.mirage4j.dsl.mirage.ListTypeExpr;
import org.mirage4j.dsl.mirage.MatchExpr;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.Named;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.TypeDecl;
import org.mirage4j.dsl.mirage.Unikernel;
import org.mirage4j.dsl.scoping.Visible;
import org.mirage4j.dsl.typing.Phrasing;
import org.mirage4j.model.ValueType;

/**
 * Names: unique per namespace (types, targets, callables, values) within a file and against the
 * files it sees (an import's name is an error, the standard library's a warning); unique within a
 * declaration (a driver's parameters and targets, a key's aliases, a choice's values); and used
 * (a device or key that no job reaches).
 */
public class NameChecks {

  /** The option names every generated program has. */
  private static final List<String> BUILT_IN_OPTIONS = List.of("help", "version", "logs", "l");

  // ------------------------------------------------------------------ the unikernel's name

  /**
   * A dashed name is written without spaces. The name's datatype rule joins its tokens with a
   * space where the text had any, so a space in the value means one stood in the text.
   */
  public void checkUnikernelName(Unikernel u, Problems problems) {
    if (u.getName() != null && u.getName().contains(" ")) {
      problems.error(
          "a unikernel's name is written without spaces: " + u.getName().replace(" ", ""),
          u,
          UNIKERNEL__NAME);
    }
  }

  // ------------------------------------------------------------------ across declarations

  /** Names are unique per kind: types, targets, callables (drivers, device functions) and values. */
  public void checkDuplicates(MirageFile file, Problems problems) {
    Map<String, EObject> seen = new HashMap<>();
    for (Element e : file.getElements()) {
      String ns = namespace(e);
      String name = nameOf(e);
      if (ns != null && name != null) {
        String key = ns + ':' + name;
        EObject first = seen.get(key);
        if (first != null) {
          problems.error(
              "duplicate " + kindName(e) + " '" + name + "'; the first is at line " + line(first) + "; rename one",
              e, nameFeature(e), DUPLICATE);
        } else {
          seen.put(key, e);
        }
      }
    }
    // shadowing across files: the standard library (a warning) and imports (an error)
    if (StdLib.isStd(uri(file))) {
      return;
    }
    for (MirageFile other : Visible.files(file)) {
      if (other == file) {
        continue;
      }
      boolean isStd = StdLib.isStd(uri(other));
      Map<String, EObject> theirs = new HashMap<>();
      for (Element e : other.getElements()) {
        String ns = namespace(e);
        if (ns != null && nameOf(e) != null) {
          theirs.put(ns + ':' + nameOf(e), e);
        }
      }
      for (Element e : file.getElements()) {
        String ns = namespace(e);
        String name = nameOf(e);
        if (ns == null || name == null) {
          continue;
        }
        EObject clash = theirs.get(ns + ':' + name);
        if (clash == null) {
          continue;
        }
        if (isStd && !Objects.equals(kindName(e), kindName(clash))) {
          // a device named like a standard key (MirageOS's `let net = default_network`):
          // it hides the key in this file only; std.mirage's own `match net` still reads the key
        } else if (isStd) {
          problems.warning(
              kindName(e) + " '" + name + "' shadows the standard library's " + kindName(clash)
                  + " of the same name (std.mirage:" + line(clash) + "); rename it unless you mean to replace it",
              e, nameFeature(e), DUPLICATE);
        } else {
          problems.error(
              kindName(e) + " '" + name + "' is already declared in " + other.eResource().getURI().lastSegment()
                  + ":" + line(clash) + "; rename one",
              e, nameFeature(e), DUPLICATE);
        }
      }
    }
  }

  /** Devices and keys of a unikernel's file that no job reaches. */
  public void checkUnused(MirageFile file, Problems problems) {
    Set<EObject> used = new HashSet<>();
    List<EObject> todo = new ArrayList<>();
    for (Element e : file.getElements()) {
      if (e instanceof JobDecl j) {
        todo.add(j);
      }
    }
    while (!todo.isEmpty()) {
      EObject next = todo.remove(todo.size() - 1);
      // one walk of the declaration for both kinds of use
      for (TreeIterator<EObject> it = next.eAllContents(); it.hasNext(); ) {
        EObject o = it.next();
        if (o instanceof RefExpr r) {
          EObject t = (EObject) r.eGet(REF_EXPR__REF, false);
          if (t != null && !t.eIsProxy() && used.add(t)) {
            todo.add(t);
          }
        } else if (o instanceof MatchExpr m) {
          EObject k = (EObject) m.eGet(MATCH_EXPR__KEY, false);
          if (k != null && !k.eIsProxy()) {
            used.add(k);
          }
        }
      }
    }
    for (Element e : file.getElements()) {
      if ((e instanceof DeviceDecl || e instanceof KeyDecl) && !used.contains(e)) {
        problems.warning(
            kindName(e) + " '" + text(((Named) e).getName()) + "' is never used; remove it or pass it to a job",
            e, NAMED__NAME, UNUSED);
      }
    }
  }

  // ------------------------------------------------------------------ within a declaration

  /** A runtime key's aliases: new names, none built into every program; a configure key has none. */
  public void checkAliases(KeyDecl key, Problems problems) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < key.getAliases().size(); i++) {
      String alias = key.getAliases().get(i);
      if (alias == null) {
        continue; // a syntax error, reported by the parser
      }
      String dashed = (alias.length() == 1 ? "-" : "--") + alias.replace('_', '-');
      if (key.getStage() == KeyStage.CONFIGURE) {
        problems.error(
            "configure key '" + text(key.getName())
                + "' cannot have an alias: aliases are other names of a runtime key's command-line option",
            key, KEY_DECL__ALIASES, i, BAD_ARGUMENT);
      } else if (BUILT_IN_OPTIONS.contains(alias)) {
        problems.error(
            "alias " + dashed + " is built into every program (-l, --logs, --help, --version); choose another",
            key, KEY_DECL__ALIASES, i, BAD_ARGUMENT);
      } else if (alias.equals(key.getName()) || !seen.add(alias)) {
        problems.error(
            "alias " + dashed + " is already a name of key '" + text(key.getName()) + "'; remove it",
            key, KEY_DECL__ALIASES, i, DUPLICATE);
      }
    }
  }

  /** The values of a choice type are listed once each. */
  public void checkChoiceValues(KeyDecl key, Problems problems) {
    EObject type = key.getType();
    while (type instanceof ListTypeExpr l) {
      type = l.getElement();
    }
    if (type instanceof ChoiceTypeExpr choice) {
      Set<String> names = new HashSet<>();
      for (ChoiceValue v : choice.getValues()) {
        String name = v.getName();
        if (name == null) {
          continue;
        }
        String bad = badChoiceValue(name);
        if (bad != null) {
          problems.error(bad, v, NAMED__NAME);
        } else if (!names.add(name)) {
          problems.error("choice value " + Phrasing.choiceValue(name) + " is listed twice", v, NAMED__NAME);
        }
      }
    }
  }

  /**
   * Why a choice value written as a string cannot be one: it is given on a command line as
   * {@code --key=value} and in a list as {@code a,b}; {@code null} if it can.
   */
  private static String badChoiceValue(String value) {
    if (value.isEmpty()) {
      return "a choice value cannot be empty; remove \"\" or give it a name";
    }
    if (value.contains(",")) {
      return "choice value " + Phrasing.choiceValue(value) + " contains ',', which separates the values of a list"
          + " option (--key=a,b); choose a value without it";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return "choice value " + Phrasing.choiceValue(value) + " contains "
            + (c == ' ' ? "a space" : "the character U+" + String.format("%04X", (int) c))
            + ", which a command-line value cannot hold unquoted; choose a value without it";
      }
    }
    return null;
  }

  /** A driver's parameters are declared once each. */
  public void checkParameters(DriverDecl d, Problems problems) {
    Set<String> names = new HashSet<>();
    for (Param p : d.getParams()) {
      if (p.getName() != null && !names.add(p.getName())) {
        problems.error("parameter '" + p.getName() + "' is declared twice", p, NAMED__NAME);
      }
    }
  }

  /** The targets a driver exists on are listed once each. */
  public void checkTargetList(DriverDecl d, Problems problems) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < d.getTargets().size(); i++) {
      TargetDecl t = d.getTargets().get(i);
      if (!t.eIsProxy() && !names.add(t.getName())) {
        problems.warning("target '" + t.getName() + "' is listed twice", d, DRIVER_DECL__TARGETS, i);
      }
    }
  }

  // ------------------------------------------------------------------ namespaces

  private static String namespace(EObject e) {
    if (e instanceof TypeDecl) {
      return "type";
    }
    if (e instanceof TargetDecl) {
      return "target";
    }
    if (e instanceof KeyDecl) {
      return "value";
    }
    if (e instanceof DeviceDecl d) {
      return d.getParams().isEmpty() ? "value" : "callable";
    }
    if (e instanceof DriverDecl) {
      return "callable";
    }
    return null;
  }

  private static String nameOf(EObject e) {
    if (e instanceof TypeDecl t) {
      return t.getName();
    }
    if (e instanceof TargetDecl t) {
      return t.getName();
    }
    if (e instanceof KeyDecl || e instanceof DeviceDecl || e instanceof DriverDecl) {
      return ((Named) e).getName();
    }
    return null;
  }

  private static EStructuralFeature nameFeature(EObject e) {
    if (e instanceof TypeDecl) {
      return TYPE_DECL__NAME;
    }
    if (e instanceof TargetDecl) {
      return TARGET_DECL__NAME;
    }
    if (e instanceof KeyDecl || e instanceof DeviceDecl || e instanceof DriverDecl) {
      return NAMED__NAME;
    }
    return null;
  }

  private static String kindName(EObject e) {
    if (e instanceof TypeDecl) {
      return "type";
    }
    if (e instanceof TargetDecl) {
      return "target";
    }
    if (e instanceof KeyDecl) {
      return "key";
    }
    if (e instanceof DeviceDecl d) {
      return d.getParams().isEmpty() ? "device" : "device function";
    }
    if (e instanceof DriverDecl) {
      return "driver";
    }
    return "declaration";
  }

  private static int line(EObject e) {
    ICompositeNode node = NodeModelUtils.findActualNodeFor(e);
    return node == null ? 0 : node.getStartLine();
  }

  private static org.eclipse.emf.common.util.URI uri(MirageFile file) {
    Resource r = file.eResource();
    return r == null ? null : r.getURI();
  }
}
