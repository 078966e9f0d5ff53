package org.mirage4j.dsl.ide;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.host.HostTools;

/**
 * docs/editors.md's Neovim set-up, exactly as written there (the test reads the Lua block from the
 * file), in a real headless Neovim (Debian's {@code neovim}, installed on demand) against the
 * packaged server jar: a {@code config.mirage} with a mistake gets the server's diagnostic, and
 * completion inside an argument offers the expected type first.
 */
class NeovimIT {

  @TempDir Path root;

  static final String CONFIG =
      String.join(
          "\n",
          "unikernel u",
          "device http = http_server(default_console, 8080)",
          "job org.example.App(http)",
          "");

  @Test
  void theDocumentedSetUpGetsDiagnosticsAndCompletion() throws Exception {
    String missing = HostTools.unavailable("nvim", "neovim");
    Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
    Path jar = Path.of(System.getProperty("mirage4j.ls.jar"));
    Path docs = Path.of(System.getProperty("mirage4j.docs", "../docs"));
    String lua = documentedLua(Files.readString(docs.resolve("editors.md"), StandardCharsets.UTF_8));

    Path project = root.resolve("project");
    Files.createDirectories(project);
    Files.writeString(project.resolve("pom.xml"), "<project/>\n");
    Files.writeString(project.resolve("config.mirage"), CONFIG);
    Path init = root.resolve("init.lua");
    Files.writeString(init, lua);
    Path out = root.resolve("out.txt");
    // what the test does inside Neovim: wait for the diagnostics, then ask for completion right
    // after 'http_server(' on line 2, and write both down
    Path script = root.resolve("test.lua");
    Files.writeString(
        script,
        String.join(
            "\n",
            "local out = {}",
            "local ok = vim.wait(120000, function() return #vim.diagnostic.get(0) > 0 end, 200)",
            "for _, d in ipairs(vim.diagnostic.get(0)) do",
            "  table.insert(out, string.format('diagnostic %d:%d:%d:%s', d.lnum, d.col, d.severity, d.message))",
            "end",
            "local line = vim.api.nvim_buf_get_lines(0, 1, 2, false)[1]",
            "local col = string.find(line, '(', 1, true)",
            "vim.api.nvim_win_set_cursor(0, { 2, col })",
            "local params = vim.lsp.util.make_position_params()",
            "local responses = vim.lsp.buf_request_sync(0, 'textDocument/completion', params, 60000) or {}",
            "for _, r in pairs(responses) do",
            "  local items = r.result and (r.result.items or r.result) or {}",
            "  table.sort(items, function(a, b) return (a.sortText or a.label) < (b.sortText or b.label) end)",
            "  for _, item in ipairs(items) do table.insert(out, 'completion ' .. item.label) end",
            "end",
            "table.insert(out, 'clients ' .. #vim.lsp.buf_get_clients(0))",
            "vim.fn.writefile(out, '" + out.toString().replace("'", "\\'") + "')",
            "vim.cmd('qa!')",
            ""));

    ProcessBuilder pb =
        new ProcessBuilder(
                "nvim", "--headless", "-n", "-i", "NONE", "-u", init.toString(),
                "-c", "luafile " + script, project.resolve("config.mirage").toString())
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("nvim.log").toFile());
    pb.environment().put("MIRAGE4J_LS_JAR", jar.toString());
    pb.environment().put("HOME", root.toString());
    pb.environment().put("XDG_CONFIG_HOME", root.resolve("config").toString());
    pb.environment().put("XDG_DATA_HOME", root.resolve("data").toString());
    pb.environment().put("XDG_STATE_HOME", root.resolve("state").toString());
    pb.environment().put("XDG_CACHE_HOME", root.resolve("cache").toString());
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    Process p = pb.start();
    boolean done = p.waitFor(4, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String log = Files.exists(root.resolve("nvim.log")) ? Files.readString(root.resolve("nvim.log")) : "";
    assertWithMessage("nvim finished; its output: %s", log).that(done).isTrue();
    assertWithMessage("nvim wrote %s; its output: %s", out, log).that(Files.exists(out)).isTrue();
    List<String> lines = Files.readAllLines(out);

    assertWithMessage("%s", lines).that(lines).contains("clients 1");
    // the server's error, on line 2 (0-based 1), column of 'default_console'
    int col = CONFIG.split("\n")[1].indexOf("default_console");
    assertWithMessage("%s", lines)
        .that(lines.stream().anyMatch(l -> l.startsWith("diagnostic 1:" + col + ":1:") && l.contains("'stack'")))
        .isTrue();
    List<String> completions =
        lines.stream().filter(l -> l.startsWith("completion ")).map(l -> l.substring(11)).toList();
    assertWithMessage("%s", lines).that(completions).contains("default_stack");
    assertWithMessage("%s", completions).that(completions.get(0))
        .isAnyOf("default_stack", "socket_stack", "direct_stack", "direct_stack_of", "direct_stackv4_of", "direct_stackv4v6", "generic_stack");
  }

  /** The one Lua block of the Neovim section. */
  static String documentedLua(String markdown) {
    int section = markdown.indexOf("\n## Neovim");
    assertWithMessage("a Neovim section in docs/editors.md").that(section).isAtLeast(0);
    int next = markdown.indexOf("\n## ", section + 1);
    String text = markdown.substring(section, next < 0 ? markdown.length() : next);
    Matcher m = Pattern.compile("```lua\n(.*?)```", Pattern.DOTALL).matcher(text);
    assertWithMessage("a ```lua block in the Neovim section").that(m.find()).isTrue();
    String lua = m.group(1);
    assertThat(m.find()).isFalse(); // one block: the one a user copies
    return lua;
  }
}
