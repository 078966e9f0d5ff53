package org.mirage4j.dsl.ide;

import static com.google.common.truth.Truth.assertThat;
import static org.mirage4j.dsl.ide.LspSession.get;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** textDocument/formatting runs the language's formatter (dsl's formatting2). */
class FormattingTest {

  @TempDir Path root;

  @Test
  void formatsABadlyLaidOutFile() throws Exception {
    String ugly =
        "unikernel   slides\n"
            + "key port:port=8080     \"the port\"\n"
            + "device   http=http_server( default_stack ,port )\n"
            + "job    org.example.App( default_console,http)\n";
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", ugly))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      List<? extends TextEdit> edits =
          get(
              s.server
                  .getTextDocumentService()
                  .formatting(new DocumentFormattingParams(s.doc("config.mirage"), new FormattingOptions(2, true))));
      assertThat(edits).isNotEmpty();
      String formatted = applyEdits(ugly, edits);
      assertThat(formatted).contains("unikernel slides\n");
      assertThat(formatted).contains("key port : port = 8080 \"the port\"\n");
      assertThat(formatted).contains("device http = http_server(default_stack, port)\n");
      assertThat(formatted).contains("job org.example.App(default_console, http)\n");
      // formatting what is formatted changes nothing
      s.replaceAll("config.mirage", formatted);
      List<? extends TextEdit> again =
          get(
              s.server
                  .getTextDocumentService()
                  .formatting(new DocumentFormattingParams(s.doc("config.mirage"), new FormattingOptions(2, true))));
      assertThat(applyEdits(formatted, again)).isEqualTo(formatted);
    }
  }

  @Test
  void leavesAFileWithSyntaxErrorsAlone() throws Exception {
    String broken = "device   http=http_server( default_stack ,\nkey port:port=\n";
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", broken))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> !d.isEmpty());
      List<? extends TextEdit> edits =
          get(
              s.server
                  .getTextDocumentService()
                  .formatting(new DocumentFormattingParams(s.doc("config.mirage"), new FormattingOptions(2, true))));
      assertThat(edits).isEmpty();
    }
  }

  /** Applies LSP text edits (non-overlapping, positions in the original text). */
  static String applyEdits(String text, List<? extends TextEdit> edits) {
    List<TextEdit> sorted = new ArrayList<>(edits);
    sorted.sort(
        Comparator.comparing((TextEdit e) -> offset(text, e.getRange().getStart())).reversed());
    StringBuilder sb = new StringBuilder(text);
    for (TextEdit e : sorted) {
      sb.replace(offset(text, e.getRange().getStart()), offset(text, e.getRange().getEnd()), e.getNewText());
    }
    return sb.toString();
  }

  static int offset(String text, Position p) {
    int line = 0;
    int i = 0;
    while (line < p.getLine()) {
      int nl = text.indexOf('\n', i);
      if (nl < 0) {
        return text.length();
      }
      i = nl + 1;
      line++;
    }
    return Math.min(text.length(), i + p.getCharacter());
  }
}
