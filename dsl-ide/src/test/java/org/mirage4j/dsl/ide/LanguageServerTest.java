package org.mirage4j.dsl.ide;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.mirage4j.dsl.ide.LspSession.get;
import static org.mirage4j.dsl.ide.LspSession.positionOf;
import static org.mirage4j.dsl.ide.LspSession.textOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ReferenceContext;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.SemanticTokens;
import org.eclipse.lsp4j.SemanticTokensParams;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The language server driven as an editor drives it: over LSP, on files in a workspace folder. */
class LanguageServerTest {

  @TempDir Path root;

  static final String SLIDES =
      String.join(
          "\n",
          "unikernel slides",
          "",
          "key port : port = 8080 \"TCP port that serves the slides\"",
          "",
          "device deck = kv_ro(\"slides\")",
          "device http = http_server(default_stack, port)",
          "",
          "job org.example.slides.SlideServer(default_console, deck, http)",
          "");

  @Test
  void diagnosticsArePositionedOnTheMistake() throws Exception {
    String text =
        String.join(
            "\n",
            "unikernel broken",
            "device http = http_server(default_console, 8080)",
            "device store = kv_rox(\"data\")",
            "job org.example.App(http, store)",
            "");
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", text))) {
      s.open("config.mirage");
      List<Diagnostic> ds = s.awaitDiagnostics("config.mirage", d -> d.size() >= 2);
      Diagnostic unknown = only(ds, "kv_rox");
      assertThat(unknown.getSeverity()).isEqualTo(DiagnosticSeverity.Error);
      assertThat(LspSession.msg(unknown)).contains("did you mean 'kv_ro'");
      assertThat(unknown.getRange().getStart()).isEqualTo(new Position(2, 15));
      assertThat(textOf(text, unknown.getRange())).isEqualTo("kv_rox");

      Diagnostic wrongType = only(ds, "default_console");
      assertThat(wrongType.getSeverity()).isEqualTo(DiagnosticSeverity.Error);
      assertThat(wrongType.getRange().getStart().getLine()).isEqualTo(1);
      assertThat(textOf(text, wrongType.getRange())).isEqualTo("default_console");

      // fixing the file clears them, as the user types
      s.replaceAll("config.mirage", text.replace("default_console", "default_stack").replace("kv_rox", "kv_ro"));
      s.awaitDiagnostics("config.mirage", d -> d.stream().noneMatch(x -> x.getSeverity() == DiagnosticSeverity.Error));
    }
  }

  private static Diagnostic only(List<Diagnostic> ds, String mentioning) {
    List<Diagnostic> found = ds.stream().filter(d -> LspSession.msg(d).contains(mentioning)).toList();
    assertWithMessage("diagnostics mentioning %s in %s", mentioning, ds).that(found).hasSize(1);
    return found.get(0);
  }

  @Test
  void completesNamesFromTheFileAndStdAndKeywords() throws Exception {
    String text = "key verbose : bool = false\ndevice mine = default_console\ndevice x = \n";
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", text))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      List<CompletionItem> items = complete(s, "config.mirage", new Position(2, 11));
      Map<String, CompletionItem> byLabel =
          items.stream().collect(Collectors.toMap(CompletionItem::getLabel, i -> i, (a, b) -> a));
      assertThat(byLabel.keySet())
          .containsAtLeast("mine", "verbose", "default_console", "default_stack", "stdout_console", "net", "match");
      // drivers and device functions that need arguments are offered too
      assertThat(byLabel.keySet()).containsAtLeast("http_server", "kv_ro", "direct_stack_of");
      // and what they are
      assertThat(byLabel.get("tap").getKind()).isEqualTo(CompletionItemKind.Function); // a driver
      assertThat(byLabel.get("http_server").getKind()).isEqualTo(CompletionItemKind.Method); // a device function
      assertThat(byLabel.get("verbose").getKind()).isEqualTo(CompletionItemKind.Property);
      assertThat(byLabel.get("match").getKind()).isEqualTo(CompletionItemKind.Keyword);
      // no punctuation proposals
      assertThat(byLabel.keySet()).containsNoneOf("[", "-", "(");

      // with a prefix, only what matches
      s.replaceAll("config.mirage", text.replace("device x = ", "device x = default_c"));
      List<CompletionItem> prefixed = complete(s, "config.mirage", new Position(2, 20));
      assertThat(prefixed.stream().map(CompletionItem::getLabel).toList()).contains("default_console");
      assertThat(prefixed.stream().map(CompletionItem::getLabel).toList()).doesNotContain("mine");
    }
  }

  @Test
  void insideAnArgumentNamesOfTheExpectedTypeComeFirst() throws Exception {
    String text =
        "key port : port = 8080\nkey verbose : bool = false\ndevice mine = default_console\n"
            + "device http = http_server()\n";
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", text))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      // http_server(|): a stack
      List<String> first = ranked(complete(s, "config.mirage", new Position(3, 26)));
      assertWithMessage("ranked %s", first).that(first.get(0)).isAnyOf("default_stack", "socket_stack", "direct_stack_of", "direct_stackv4_of", "generic_stack");
      assertBefore(first, "default_stack", "mine");
      assertBefore(first, "socket_stack", "default_console");
      assertBefore(first, "direct_stack_of", "port");
      assertBefore(first, "default_stack", "match");
      // but every other name is still offered, after them
      assertThat(first).containsAtLeast("mine", "default_console", "port", "verbose");

      // http_server(default_stack, |): a port
      s.replaceAll("config.mirage", text.replace("http_server()", "http_server(default_stack, )"));
      List<String> second = ranked(complete(s, "config.mirage", new Position(3, 41)));
      assertWithMessage("ranked %s", second).that(second.get(0)).isEqualTo("port");
      assertBefore(second, "port", "verbose");
      assertBefore(second, "port", "default_stack");

      // a named argument: http_server(port = 1, stack = |)
      String withNames = text.replace("http_server()", "http_server(port = 1, stack = )");
      s.replaceAll("config.mirage", withNames);
      List<String> named = ranked(complete(s, "config.mirage", positionOf(withNames, "stack = ", 0, 8)));
      assertBefore(named, "default_stack", "port");
      assertBefore(named, "default_stack", "mine");

      // with a prefix: among what matches, the fitting first
      s.replaceAll("config.mirage", text.replace("http_server()", "http_server(def)"));
      List<String> prefixed = ranked(complete(s, "config.mirage", new Position(3, 29)));
      assertWithMessage("ranked %s", prefixed).that(prefixed.get(0)).isEqualTo("default_stack");
      assertBefore(prefixed, "default_stack", "default_console");
    }
  }

  /** The labels in the order the editor shows them (by sort text). */
  private static List<String> ranked(List<CompletionItem> items) {
    return items.stream()
        .sorted(java.util.Comparator.comparing(i -> i.getSortText() == null ? i.getLabel() : i.getSortText()))
        .map(CompletionItem::getLabel)
        .toList();
  }

  private static void assertBefore(List<String> ranked, String first, String then) {
    assertWithMessage("%s before %s in %s", first, then, ranked).that(ranked).containsAtLeast(first, then).inOrder();
  }

  @Test
  void completesTypesAndTargets() throws Exception {
    String text = "device c : \n";
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", text))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      assertThat(labels(complete(s, "config.mirage", new Position(0, 11)))).containsAtLeast("console", "stack", "kv_ro");
      s.replaceAll("config.mirage", "unikernel u targets \n");
      assertThat(labels(complete(s, "config.mirage", new Position(0, 20)))).containsAtLeast("unix", "xen", "arm");
    }
  }

  private static List<String> labels(List<CompletionItem> items) {
    return items.stream().map(CompletionItem::getLabel).toList();
  }

  private static List<CompletionItem> complete(LspSession s, String file, Position at) throws Exception {
    Either<List<CompletionItem>, CompletionList> r =
        get(s.server.getTextDocumentService().completion(new CompletionParams(s.doc(file), at)));
    return r.isLeft() ? r.getLeft() : r.getRight().getItems();
  }

  @Test
  void hoverOnAKeyShowsItsTypeDefaultAndDoc() throws Exception {
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", SLIDES))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      // on the use of the key inside http_server(default_stack, port)
      Hover h = hover(s, positionOf(SLIDES, "port)", 0, 1));
      String md = h.getContents().getRight().getValue();
      assertThat(md).contains("key port : port = 8080");
      assertThat(md).contains("TCP port that serves the slides");
      assertThat(md).contains("runtime key");
      assertThat(textOf(SLIDES, h.getRange())).isEqualTo("port");

      // a std key, with its doc string
      Hover net = hover(s, positionOf(SLIDES, "default_stack", 0, 3));
      String dev = net.getContents().getRight().getValue();
      assertThat(dev).contains("device default_stack : stack");
      assertThat(dev).contains("the stack chosen by the key net");
      // the driver per target: unix depends on the configure key net, guests use the direct stack
      assertThat(dev).contains("by key `net`: socket → `socket_stack`; direct → `direct_stackv4v6`");
      assertThat(dev).contains("xen, arm: `direct_stackv4v6`");
      assertThat(dev).contains("standard library");
    }
  }

  @Test
  void hoverOnADeviceShowsItsDriverPerTarget() throws Exception {
    String text = "device nic = default_network\n";
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", text))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      String md = hover(s, new Position(0, 8)).getContents().getRight().getValue();
      assertThat(md).contains("device nic : network");
      assertThat(md).contains("- unix: `tap`");
      assertThat(md).contains("- xen, arm: `netfront`");
    }
  }

  private static Hover hover(LspSession s, Position at) throws Exception {
    Hover h = get(s.server.getTextDocumentService().hover(new HoverParams(s.doc("config.mirage"), at)));
    assertWithMessage("hover at %s", at).that(h).isNotNull();
    assertWithMessage("hover at %s", at).that(h.getContents().isRight()).isTrue();
    return h;
  }

  @Test
  void goToDefinitionJumpsIntoStd() throws Exception {
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", SLIDES))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      List<Location> locations = definition(s, "config.mirage", positionOf(SLIDES, "default_console", 0, 4));
      assertThat(locations).hasSize(1);
      Location l = locations.get(0);
      assertThat(l.getUri()).startsWith("file:");
      assertThat(l.getUri()).endsWith("/std.mirage");
      Path std = Path.of(java.net.URI.create(l.getUri()));
      String stdText = Files.readString(std);
      assertThat(textOf(stdText, l.getRange())).isEqualTo("default_console");
      assertThat(stdText.split("\n")[l.getRange().getStart().getLine()]).startsWith("device default_console");
      // the copy is the real std: it matches the resource inside the language jar
      try (var in = org.mirage4j.dsl.StdLib.class.getClassLoader().getResourceAsStream(org.mirage4j.dsl.StdLib.RESOURCE)) {
        assertThat(stdText).isEqualTo(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
      // the editor opens the copy (outside the workspace folder): requests on it are answered
      s.server.getTextDocumentService().didOpen(new org.eclipse.lsp4j.DidOpenTextDocumentParams(
          new org.eclipse.lsp4j.TextDocumentItem(l.getUri(), "mirage", 1, stdText)));
      Hover inStd = get(s.server.getTextDocumentService().hover(new HoverParams(
          new org.eclipse.lsp4j.TextDocumentIdentifier(l.getUri()), positionOf(stdText, "= stdout_console", 0, 4))));
      assertThat(inStd.getContents().getRight().getValue()).contains("driver stdout_console()");
      assertThat(get(s.server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(
          new org.eclipse.lsp4j.TextDocumentIdentifier(l.getUri()))))).isNotEmpty();
      // a Java type reference has no source: no location, and no failure
      assertThat(definition(s, "config.mirage", positionOf(SLIDES, "SlideServer", 0, 2))).isEmpty();
    }
  }

  @Test
  void goToDefinitionAcrossImports() throws Exception {
    String lib = "device store = kv_ro(\"data\") \"where the data lives\"\n";
    String main = "import \"lib.mirage\"\nunikernel app\njob org.example.App(store)\n";
    try (LspSession s = LspSession.start(root, Map.of("lib.mirage", lib, "config.mirage", main))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      List<Location> locations = definition(s, "config.mirage", positionOf(main, "store", 0, 1));
      assertThat(locations).hasSize(1);
      assertThat(locations.get(0).getUri()).isEqualTo(s.uri("lib.mirage"));
      assertThat(textOf(lib, locations.get(0).getRange())).isEqualTo("store");
    }
  }

  private static List<Location> definition(LspSession s, String file, Position at) throws Exception {
    Either<List<? extends Location>, List<? extends LocationLink>> r =
        get(s.server.getTextDocumentService().definition(new DefinitionParams(s.doc(file), at)));
    return new ArrayList<>(r.getLeft());
  }

  @Test
  void findReferencesAndRenameADeviceAcrossTwoFiles() throws Exception {
    String lib = "device store = kv_ro(\"data\")\ndevice copy = store\n";
    String main = "import \"lib.mirage\"\nunikernel app\njob org.example.App(store, copy)\n";
    try (LspSession s = LspSession.start(root, Map.of("lib.mirage", lib, "config.mirage", main))) {
      s.open("config.mirage");
      s.open("lib.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      s.awaitDiagnostics("lib.mirage", d -> true);

      List<? extends Location> refs =
          get(
              s.server
                  .getTextDocumentService()
                  .references(
                      new ReferenceParams(
                          s.doc("lib.mirage"), new Position(0, 8), new ReferenceContext(true))));
      assertThat(refs.stream().map(l -> l.getUri() + ":" + l.getRange().getStart().getLine()).toList())
          .containsExactly(
              s.uri("lib.mirage") + ":0", s.uri("lib.mirage") + ":1", s.uri("config.mirage") + ":2");

      // rename from the use in the other file
      var edit =
          get(
              s.server
                  .getTextDocumentService()
                  .rename(
                      new org.eclipse.lsp4j.RenameParams(
                          s.doc("config.mirage"), positionOf(main, "store", 0, 2), "archive")));
      Map<String, String> after = apply(edit, Map.of(s.uri("lib.mirage"), lib, s.uri("config.mirage"), main));
      assertThat(after.get(s.uri("lib.mirage"))).isEqualTo("device archive = kv_ro(\"data\")\ndevice copy = archive\n");
      assertThat(after.get(s.uri("config.mirage")))
          .isEqualTo("import \"lib.mirage\"\nunikernel app\njob org.example.App(archive, copy)\n");
    }
  }

  @Test
  void renameRefusesStandardLibraryNamesAndJavaClasses() throws Exception {
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", SLIDES))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      Exception std =
          org.junit.jupiter.api.Assertions.assertThrows(
              Exception.class,
              () ->
                  get(
                      s.server
                          .getTextDocumentService()
                          .rename(
                              new org.eclipse.lsp4j.RenameParams(
                                  s.doc("config.mirage"), positionOf(SLIDES, "default_console", 0, 3), "my_console"))));
      assertThat(std).hasMessageThat().contains("standard library");
      Exception java =
          org.junit.jupiter.api.Assertions.assertThrows(
              Exception.class,
              () ->
                  get(
                      s.server
                          .getTextDocumentService()
                          .rename(
                              new org.eclipse.lsp4j.RenameParams(
                                  s.doc("config.mirage"), positionOf(SLIDES, "SlideServer", 0, 3), "Other"))));
      assertThat(java).hasMessageThat().contains("Refactoring cannot be performed");
    }
  }

  /** Applies a workspace edit (either form) to texts by URI. */
  static Map<String, String> apply(org.eclipse.lsp4j.WorkspaceEdit edit, Map<String, String> texts) {
    Map<String, List<org.eclipse.lsp4j.TextEdit>> byUri = new java.util.HashMap<>();
    if (edit.getChanges() != null) {
      byUri.putAll(edit.getChanges());
    }
    if (edit.getDocumentChanges() != null) {
      for (var c : edit.getDocumentChanges()) {
        if (c.isLeft()) {
          byUri.computeIfAbsent(c.getLeft().getTextDocument().getUri(), k -> new ArrayList<>())
              .addAll(c.getLeft().getEdits().stream().map(e -> e.getLeft()).toList());
        }
      }
    }
    assertWithMessage("files changed by %s", edit).that(byUri.keySet()).isNotEmpty();
    Map<String, String> result = new java.util.HashMap<>(texts);
    for (var e : byUri.entrySet()) {
      assertWithMessage("edit of an unknown file %s", e.getKey()).that(texts).containsKey(e.getKey());
      result.put(e.getKey(), FormattingTest.applyEdits(texts.get(e.getKey()), e.getValue()));
    }
    return result;
  }

  @Test
  void outlineListsTheDeclarations() throws Exception {
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", SLIDES))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      List<Either<SymbolInformation, DocumentSymbol>> symbols =
          get(s.server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(s.doc("config.mirage"))));
      List<String> names = new ArrayList<>();
      for (var e : symbols) {
        assertThat(e.isRight()).isTrue();
        names.add(e.getRight().getName() + "/" + e.getRight().getKind());
      }
      assertThat(names)
          .containsExactly(
              "slides/" + SymbolKind.Module,
              "port/" + SymbolKind.Constant,
              "deck/" + SymbolKind.Object,
              "http/" + SymbolKind.Object,
              "job org.example.slides.SlideServer/" + SymbolKind.Event)
          .inOrder();
    }
  }

  @Test
  void semanticTokensClassifyNames() throws Exception {
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", SLIDES))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      List<String> legend =
          s.initializeResult.getCapabilities().getSemanticTokensProvider().getLegend().getTokenTypes();
      List<String> modifiers =
          s.initializeResult.getCapabilities().getSemanticTokensProvider().getLegend().getTokenModifiers();
      SemanticTokens tokens =
          get(s.server.getTextDocumentService().semanticTokensFull(new SemanticTokensParams(s.doc("config.mirage"))));
      // decode: (deltaLine, deltaStart, length, type, modifiers) per token
      List<String> decoded = new ArrayList<>();
      String[] lines = SLIDES.split("\n", -1);
      int line = 0;
      int col = 0;
      List<Integer> data = tokens.getData();
      for (int i = 0; i < data.size(); i += 5) {
        line += data.get(i);
        col = data.get(i) == 0 ? col + data.get(i + 1) : data.get(i + 1);
        String word = lines[line].substring(col, col + data.get(i + 2));
        List<String> mods = new ArrayList<>();
        for (int b = 0; b < modifiers.size(); b++) {
          if ((data.get(i + 4) & (1 << b)) != 0) {
            mods.add(modifiers.get(b));
          }
        }
        decoded.add(word + ":" + legend.get(data.get(i + 3)) + (mods.isEmpty() ? "" : mods.toString()));
      }
      assertThat(decoded)
          .containsAtLeast(
              "slides:namespace[declaration]",
              "port:property[declaration]",
              "deck:variable[declaration]",
              "kv_ro:function[defaultLibrary]",
              "http_server:function[defaultLibrary]",
              "default_stack:variable[defaultLibrary]",
              "port:property",
              "org.example.slides.SlideServer:class");
    }
  }

  @Test
  void editsThatBreakTheFileNeverBreakTheServer() throws Exception {
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", SLIDES))) {
      s.open("config.mirage");
      s.awaitDiagnostics("config.mirage", d -> true);
      // type a new device character by character at the end, asking for everything after each key
      String typed = "device extra = match target { unix -> tap(\"tap1\") xen -> netfront(\"x\") }\n";
      String text = SLIDES;
      for (int i = 0; i < typed.length(); i++) {
        Position end = LspSession.positionAt(text, text.length());
        s.change("config.mirage", new Range(end, end), typed.substring(i, i + 1));
        text = text + typed.charAt(i);
        Position at = LspSession.positionAt(text, text.length());
        askEverything(s, at);
      }
      // delete chunks from the middle: unbalanced parentheses, dangling keywords, half names
      for (String cut : List.of("(default_stack, ", "= 8080", "\"slides\")", "job ")) {
        int idx = text.indexOf(cut);
        Range r = new Range(LspSession.positionAt(text, idx), LspSession.positionAt(text, idx + cut.length()));
        s.change("config.mirage", r, "");
        text = text.substring(0, idx) + text.substring(idx + cut.length());
        askEverything(s, LspSession.positionAt(text, idx));
      }
      // garbage, then the original again: the server is alive and right
      s.replaceAll("config.mirage", "device ( = = match {{ \"unterminated\n");
      askEverything(s, new Position(0, 8));
      s.replaceAll("config.mirage", SLIDES.replace("default_console", "default_consol"));
      List<Diagnostic> ds = s.awaitDiagnostics("config.mirage", d -> d.stream().anyMatch(x -> LspSession.msg(x).contains("default_consol'")));
      assertThat(ds.stream().filter(d -> d.getSeverity() == DiagnosticSeverity.Error).count()).isEqualTo(1);
      assertThat(hover(s, positionOf(SLIDES, "port)", 0, 1)).getContents().getRight().getValue()).contains("key port");
    }
  }

  /** Completion, hover, outline, semantic tokens, definition and formatting: none may fail. */
  private static void askEverything(LspSession s, Position at) throws Exception {
    var docs = s.server.getTextDocumentService();
    get(docs.completion(new CompletionParams(s.doc("config.mirage"), at)));
    get(docs.hover(new HoverParams(s.doc("config.mirage"), at)));
    get(docs.documentSymbol(new DocumentSymbolParams(s.doc("config.mirage"))));
    get(docs.semanticTokensFull(new SemanticTokensParams(s.doc("config.mirage"))));
    get(docs.definition(new DefinitionParams(s.doc("config.mirage"), at)));
    get(docs.formatting(new org.eclipse.lsp4j.DocumentFormattingParams(s.doc("config.mirage"), new org.eclipse.lsp4j.FormattingOptions(2, true))));
  }
}
