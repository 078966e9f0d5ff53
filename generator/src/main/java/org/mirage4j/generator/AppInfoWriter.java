package org.mirage4j.generator;

import java.nio.charset.StandardCharsets;

/**
 * Writes the build information that std's {@code app_info} device ({@code build_info}, {@code
 * org.mirage4j.drivers.info.BuildInfo}) reads: {@code META-INF/mirage/app-info.tsv} among the
 * generated resources, with the unikernel's name, its version and the libraries of the build, one
 * line each, libraries sorted. Written for every unikernel (as MirageOS always writes its {@code
 * info_gen.ml}), from the request alone, so identical inputs give identical bytes. Names and
 * versions never hold a tab or a line break (they are replaced by spaces).
 */
final class AppInfoWriter {

  static final String PATH = "META-INF/mirage/app-info.tsv";

  private AppInfoWriter() {}

  static OutputFile write(GeneratorRequest request) {
    StringBuilder sb = new StringBuilder();
    sb.append("name\t").append(clean(request.model().name())).append('\n');
    sb.append("version\t").append(clean(request.version())).append('\n');
    for (String library : request.libraries()) {
      int tab = library.indexOf('\t');
      String name = tab < 0 ? library : library.substring(0, tab);
      String version = tab < 0 ? "" : library.substring(tab + 1);
      sb.append("library\t").append(clean(name)).append('\t').append(clean(version)).append('\n');
    }
    return new OutputFile(OutputFile.Root.RESOURCES, PATH,
        sb.toString().getBytes(StandardCharsets.UTF_8), false, false);
  }

  private static String clean(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
