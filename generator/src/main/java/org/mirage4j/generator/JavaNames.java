package org.mirage4j.generator;

import com.palantir.javapoet.ClassName;
import javax.lang.model.SourceVersion;

/** Java names derived from names in the configuration. */
final class JavaNames {

  private JavaNames() {}

  /** {@code slides} to {@code SlidesUnikernel}, {@code my-app} to {@code MyAppUnikernel}. */
  static String wiringClassName(String unikernel) {
    String base = pascal(unikernel);
    return (base.isEmpty() ? "Mirage" : base) + "Unikernel";
  }

  /** {@code http_stack_network} to {@code httpStackNetwork}; always a valid identifier. */
  static String camel(String name) {
    // an all-capitals word reads best all in lower case: NAME to name, HTTP_PORT to httpPort
    boolean shouting = !name.equals(name.toLowerCase(java.util.Locale.ROOT))
        && name.equals(name.toUpperCase(java.util.Locale.ROOT));
    String pascal = pascal(shouting ? name.toLowerCase(java.util.Locale.ROOT) : name);
    if (pascal.isEmpty()) {
      return "value";
    }
    String camel = Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
    return identifier(camel);
  }

  /** {@code net0-interface} to {@code NET0_INTERFACE}; always a valid identifier. */
  static String constant(String name) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c) && c < 128) {
        if (i > 0 && Character.isUpperCase(c) && Character.isLowerCase(name.charAt(i - 1))) {
          sb.append('_');
        }
        sb.append(Character.toUpperCase(c));
      } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
        sb.append('_');
      }
    }
    String s = sb.toString().replaceAll("_+$", "");
    return identifier(s.isEmpty() ? "VALUE" : s);
  }

  private static String pascal(String name) {
    StringBuilder sb = new StringBuilder();
    boolean upper = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c) && c < 128) {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = true;
      }
    }
    return sb.toString();
  }

  private static String identifier(String s) {
    String id = Character.isJavaIdentifierStart(s.charAt(0)) ? s : "_" + s;
    return SourceVersion.isKeyword(id) || id.equals("_") ? id + "_" : id;
  }

  /**
   * The class named by a fully qualified name ({@code org.example.Outer.Inner} or {@code
   * org.example.Outer$Inner}), or {@code null} if it is not one.
   */
  static ClassName className(String qualified) {
    if (!SourceVersion.isName(qualified.replace('$', '.'))) {
      return null;
    }
    String[] parts = qualified.split("\\.");
    int firstClass = parts.length - 1;
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].contains("$") || Character.isUpperCase(parts[i].charAt(0))) {
        firstClass = i;
        break;
      }
    }
    String pkg = String.join(".", java.util.Arrays.copyOfRange(parts, 0, firstClass));
    java.util.List<String> simple = new java.util.ArrayList<>();
    for (int i = firstClass; i < parts.length; i++) {
      for (String s : parts[i].split("\\$")) {
        if (s.isEmpty()) {
          return null;
        }
        simple.add(s);
      }
    }
    return ClassName.get(
        pkg, simple.get(0), simple.subList(1, simple.size()).toArray(new String[0]));
  }

  /** Whether {@code name} is a valid package name. */
  static boolean isPackage(String name) {
    return name.isEmpty() || SourceVersion.isName(name);
  }

  /**
   * A javadoc paragraph: plain {@code text} made safe for a comment and for HTML, ended with a
   * period, and wrapped so that no line of a member's javadoc passes 100 columns.
   */
  static String javadoc(String text) {
    String safe =
        comment(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).strip();
    if (!safe.isEmpty() && ".!?:".indexOf(safe.charAt(safe.length() - 1)) < 0) {
      safe = safe + ".";
    }
    StringBuilder out = new StringBuilder();
    int column = 0;
    for (String word : safe.split(" +")) {
      if (column > 0 && column + 1 + word.length() > 93) {
        out.append('\n');
        column = 0;
      } else if (column > 0) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
    }
    return out.append('\n').toString();
  }

  /**
   * Text made safe for a Java comment: no line breaks, no comment end, and no backslash that javac
   * could read as a Unicode escape.
   */
  static String comment(String text) {
    return text.replace("\\", "\\\\")
        .replace("*/", "*&#47;")
        .replace("\r\n", " ")
        .replace('\n', ' ')
        .replace('\r', ' ');
  }
}
