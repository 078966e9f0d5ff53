package org.mirage4j.dsl.ide;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CompletionCapabilities;
import org.eclipse.lsp4j.CompletionItemCapabilities;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbolCapabilities;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentClientCapabilities;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.mirage4j.dsl.ide.server.MirageLanguageServer;

/**
 * An editor, as far as the tests need one: an LSP4J client connected to an in-process language
 * server over piped streams (the same JSON-RPC framing as stdio), with a workspace folder on disk.
 */
final class LspSession implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(90);

  final Path root;
  final LanguageServer server;
  final InitializeResult initializeResult;
  private final Map<String, List<Diagnostic>> diagnostics = new ConcurrentHashMap<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Future<Void> serverLoop;
  private final Future<Void> clientLoop;
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final Object lock = new Object();

  private LspSession(Path root) throws Exception {
    this.root = root;
    PipedInputStream serverIn = new PipedInputStream(1 << 16);
    OutputStream clientOut = new PipedOutputStream(serverIn);
    PipedInputStream clientIn = new PipedInputStream(1 << 16);
    OutputStream serverOut = new PipedOutputStream(clientIn);
    serverLoop = MirageLanguageServer.start(serverIn, serverOut, false, () -> {});
    Launcher<LanguageServer> launcher =
        new Launcher.Builder<LanguageServer>()
            .setLocalService(new Client())
            .setRemoteInterface(LanguageServer.class)
            .setInput(clientIn)
            .setOutput(clientOut)
            .create();
    server = launcher.getRemoteProxy();
    clientLoop = launcher.startListening();

    InitializeParams init = new InitializeParams();
    init.setProcessId((int) ProcessHandle.current().pid());
    init.setWorkspaceFolders(List.of(new WorkspaceFolder(uri(root), "test")));
    init.setRootUri(uri(root));
    ClientCapabilities caps = new ClientCapabilities();
    TextDocumentClientCapabilities text = new TextDocumentClientCapabilities();
    DocumentSymbolCapabilities symbols = new DocumentSymbolCapabilities();
    symbols.setHierarchicalDocumentSymbolSupport(true);
    text.setDocumentSymbol(symbols);
    CompletionCapabilities completion = new CompletionCapabilities(new CompletionItemCapabilities(false));
    text.setCompletion(completion);
    caps.setTextDocument(text);
    init.setCapabilities(caps);
    initializeResult = get(server.initialize(init));
    server.initialized(new InitializedParams());
  }

  /** Writes {@code files} (name to text) into a fresh workspace folder and starts a session. */
  static LspSession start(Path root, Map<String, String> files) throws Exception {
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path p = root.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
    }
    return new LspSession(root);
  }

  String uri(String file) {
    return uri(root.resolve(file));
  }

  static String uri(Path p) {
    // the form editors send: file:///abs/path
    return p.toAbsolutePath().toUri().toString();
  }

  void open(String file) throws IOException {
    String text = Files.readString(root.resolve(file));
    versions.put(uri(file), 1);
    server.getTextDocumentService()
        .didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri(file), "mirage", 1, text)));
  }

  /** Replaces a range of an open document (an incremental change, as VS Code sends). */
  void change(String file, Range range, String text) {
    int v = versions.merge(uri(file), 1, Integer::sum);
    TextDocumentContentChangeEvent e = new TextDocumentContentChangeEvent(range, text);
    server.getTextDocumentService()
        .didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri(file), v), List.of(e)));
  }

  /** Replaces the whole text of an open document. */
  void replaceAll(String file, String text) {
    int v = versions.merge(uri(file), 1, Integer::sum);
    server.getTextDocumentService()
        .didChange(
            new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri(file), v), List.of(new TextDocumentContentChangeEvent(text))));
  }

  TextDocumentIdentifier doc(String file) {
    return new TextDocumentIdentifier(uri(file));
  }

  /** Waits until the diagnostics published for {@code file} satisfy {@code condition}. */
  List<Diagnostic> awaitDiagnostics(String file, Predicate<List<Diagnostic>> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    synchronized (lock) {
      while (true) {
        List<Diagnostic> d = diagnostics.get(uri(file));
        if (d != null && condition.test(d)) {
          return d;
        }
        long left = deadline - System.nanoTime();
        assertWithMessage("diagnostics for %s within %s; last: %s", file, TIMEOUT, d).that(left > 0).isTrue();
        lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  /** The text of a diagnostic's message. */
  static String msg(Diagnostic d) {
    return d.getMessage().isLeft() ? d.getMessage().getLeft() : d.getMessage().getRight().getValue();
  }

  List<String> messages() {
    return new ArrayList<>(messages);
  }

  static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The position of the {@code n}th (0-based) occurrence of {@code needle} in {@code text}, plus {@code delta} columns. */
  static Position positionOf(String text, String needle, int n, int delta) {
    int idx = -1;
    for (int i = 0; i <= n; i++) {
      idx = text.indexOf(needle, idx + 1);
      if (idx < 0) {
        throw new IllegalArgumentException(needle + " #" + n + " not in text");
      }
    }
    return positionAt(text, idx + delta);
  }

  static Position positionAt(String text, int offset) {
    int line = 0;
    int col = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        col = 0;
      } else {
        col++;
      }
    }
    return new Position(line, col);
  }

  /** The text of {@code range} in {@code text}. */
  static String textOf(String text, Range range) {
    String[] lines = text.split("\n", -1);
    if (range.getStart().getLine() != range.getEnd().getLine()) {
      throw new IllegalArgumentException("multi-line range " + range);
    }
    return lines[range.getStart().getLine()].substring(range.getStart().getCharacter(), range.getEnd().getCharacter());
  }

  @Override
  public void close() throws Exception {
    try {
      get(server.shutdown());
      server.exit();
    } finally {
      serverLoop.cancel(true);
      clientLoop.cancel(true);
    }
  }

  private final class Client implements LanguageClient {
    @Override
    public void telemetryEvent(Object object) {}

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams params) {
      synchronized (lock) {
        diagnostics.put(params.getUri(), params.getDiagnostics());
        lock.notifyAll();
      }
    }

    @Override
    public void showMessage(MessageParams params) {
      messages.add(params.getType() + ": " + params.getMessage());
    }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams params) {
      messages.add(params.getType() + ": " + params.getMessage());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams params) {
      messages.add(params.getType() + ": " + params.getMessage());
    }
  }
}
