// The commands of the documentation, run as written, so that they cannot drift from what is built.
//
// Every fenced block of README.md, docs/*.md, samples/*/README.md and bench/README.md that holds a
// command (a line starting with ./mvnw, ../../mvnw, mvn, bin/, ../../bin/, mirage, java -jar, sudo,
// ip, xl, curl) carries, on the line before it, one of:
//
//   <!-- doc-test dir=DIR -->              run the block with bash in DIR (of a copy of the repository)
//   <!-- doc-test dir=DIR netns -->        the same inside a network namespace made for it
//   <!-- doc-test synopsis -->             a command's synopsis: every option in it is in `mirage CMD --help`
//   <!-- doc-test covered-by=IT dir=DIR --> an it/ project runs these very goals for this sample (checked)
//   <!-- doc-test skip="why" -->           not run here, for the reason given (printed)
//
// A block without one fails this test, so a new command cannot be documented without a decision.
//
// Running a block: the copy (work/) holds the repository's build files, bin/, the samples and the CLI
// jar; Maven (mvnw, and `mvn`, which runs the same wrapper) reads the artifacts under test from this
// build's test repository. /tmp/ in a command is work/tmp/. A line whose comment says "Ctrl-C stops it"
// is a server: it is started, the URL in its comment must answer 200, then it gets SIGTERM. A line
// ending in & is waited for until the first port the block's later lines name accepts connections.
// A curl -i line whose comment starts with a status code must get that status; a line whose comment
// starts with "exits N" must exit with status N. Each block runs in its
// own process group, killed at the end.
import java.nio.file.*
import java.util.concurrent.TimeUnit
import java.util.regex.Matcher

// Run by this project's own build (exec:exec in pom.xml, a JVM of its own), not as the invoker's
// post-build script: the invoker runs the scripts of all its projects one at a time, and minutes of
// documented commands there held every other project's scripts back. The invoker's variables come
// as system properties doc.NAME.
for (String name : ['cliJar', 'mirageScript', 'javaHome', 'samplesDir', 'itSources', 'outerRepository',
                    'localRepositoryPath']) {
  String value = System.getProperty('doc.' + name)
  assert value : "system property doc.${name} is not set (run this script from documented-commands/pom.xml)"
  binding.setVariable(name, value)
}
binding.setVariable('basedir', new File(System.getProperty('doc.basedir')))

Path repo = new File(samplesDir).toPath().parent.toAbsolutePath().normalize()
Path work = basedir.toPath().resolve('work').toAbsolutePath()
boolean isRoot = System.getProperty('user.name') == 'root'

// ---- the workspace
def copyTree = { Path from, Path to ->
  Files.walk(from).withCloseable { walk ->
    walk.filter { p ->
      def rel = from.relativize(p)
      !(0..<rel.nameCount).any { i -> rel.getName(i).toString() in ['target', 'node_modules', '.git'] }
    }.each { Path p ->
      Path t = to.resolve(from.relativize(p).toString())
      if (Files.isDirectory(p)) {
        Files.createDirectories(t)
      } else {
        Files.createDirectories(t.parent)
        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES)
      }
    }
  }
}
Files.createDirectories(work)
for (String f : ['mvnw', 'pom.xml']) {
  Files.copy(repo.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES)
}
copyTree(repo.resolve('.mvn'), work.resolve('.mvn'))
copyTree(repo.resolve('bin'), work.resolve('bin'))
copyTree(repo.resolve('samples'), work.resolve('samples'))
Path cliJar = new File(cliJar).toPath()
Files.createDirectories(work.resolve('cli/target'))
Files.copy(cliJar, work.resolve('cli/target').resolve(cliJar.fileName), StandardCopyOption.REPLACE_EXISTING)
Files.createDirectories(work.resolve('tmp'))

// Maven reads everything from this build's test repository, with the outer local repository as central
Path settings = work.resolve('.doc-settings.xml')
Files.writeString(settings, new File(itSources, 'settings.xml').text.replace('@localRepositoryUrl@', new File(outerRepository).toURI().toString()))
Path shims = work.resolve('.doc-bin')
Files.createDirectories(shims)
Files.writeString(shims.resolve('mvn'), "#!/bin/sh\nexec '${work}/mvnw' \"\$@\"\n".toString())
Files.writeString(shims.resolve('mirage'), "#!/bin/sh\nexec '${work}/bin/mirage' \"\$@\"\n".toString())
// root needs no sudo (and Debian's minimal images have none)
Files.writeString(shims.resolve('sudo'), '#!/bin/sh\nif [ "$(id -u)" = 0 ]; then exec "$@"; fi\nexec /usr/bin/sudo "$@"\n')
shims.toFile().eachFile { it.setExecutable(true, false) }

Map<String, String> env = [
  'MAVEN_ARGS': "-B -Dmaven.repo.local=${localRepositoryPath} -s ${settings}".toString(),
  'PATH': "${shims}:${javaHome}/bin:${System.getenv('PATH')}".toString(),
  'JAVA_HOME': javaHome.toString(),
]

// the host's commands the documented blocks use, from Debian where they are missing and may be installed
def ensure = { String command, String pkg ->
  boolean found = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'].any { new File(it, command).canExecute() }
  if (!found && isRoot && new File('/usr/bin/apt-get').exists()) {
    def p = new ProcessBuilder('sh', '-c', "apt-get install -y -q --no-install-recommends ${pkg} || (apt-get update -q && apt-get install -y -q --no-install-recommends ${pkg})")
        .redirectErrorStream(true).start()
    p.inputStream.text
    p.waitFor()
    found = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'].any { new File(it, command).canExecute() }
  }
  return found
}

// ---- the blocks
List<Path> docs = [repo.resolve('README.md')]
docs += Files.list(repo.resolve('docs')).withCloseable { it.filter { it.toString().endsWith('.md') }.sorted().toList() }
// the samples in their reactor order (a later one may use an earlier one's jar)
String samplesPom = repo.resolve('samples/pom.xml').toFile().text
(samplesPom =~ /<module>([^<]+)<\/module>/).each { m ->
  Path r = repo.resolve('samples').resolve(m[1]).resolve('README.md')
  if (Files.exists(r)) { docs << r }
}
if (Files.exists(repo.resolve('bench/README.md'))) { docs << repo.resolve('bench/README.md') }

def COMMAND = ~/^\s*(?:\$ )?(\.\/mvnw|\.\.\/\.\.\/mvnw|mvn |bin\/|\.\.\/\.\.\/bin\/|mirage |java -jar|sudo |ip |xl |curl )/
def ANNOTATION = ~/<!--\s*doc-test\b(.*?)-->/

class Block { String file; int line; String lang; List<String> body; Map<String, String> attrs }
List<Block> blocks = []
List<String> problems = []
for (Path doc : docs) {
  String rel = repo.relativize(doc).toString()
  List<String> lines = doc.toFile().readLines()
  for (int i = 0; i < lines.size(); i++) {
    if (!lines[i].startsWith('```')) { continue }
    String lang = lines[i].substring(3).trim()
    int start = i
    List<String> body = []
    i++
    while (i < lines.size() && !lines[i].startsWith('```')) { body << lines[i]; i++ }
    if (lang in ['xml', 'java', 'mirage', 'json', 'lua', 'vim', 'properties', 'text', 'html', 'css', 'js']) { continue }
    String before = start > 0 ? lines[start - 1] : ''
    Matcher a = ANNOTATION.matcher(before)
    boolean hasCommand = body.any { COMMAND.matcher(it).find() }
    if (!a.find()) {
      if (hasCommand) {
        problems << "${rel}:${start + 1}: a block of commands without <!-- doc-test ... --> on the line before it"
      }
      continue
    }
    Map<String, String> attrs = [:]
    (a.group(1) =~ /(\w[\w-]*)(?:=("[^"]*"|\S+))?/).each { m ->
      attrs[m[1]] = m[2] == null ? 'true' : m[2].replaceAll(/^"|"$/, '')
    }
    blocks << new Block(file: rel, line: start + 1, lang: lang, body: body, attrs: attrs)
  }
}

// ---- checks that need no run
def help = [:]
def mirageHelp = { String sub ->
  if (!help.containsKey(sub)) {
    def cmd = ["${javaHome}/bin/java", '-jar', cliJar.toString()] + (sub ? [sub, '--help'] : ['--help'])
    def p = new ProcessBuilder(cmd.collect { it.toString() }).redirectErrorStream(true).start()
    help[sub] = p.inputStream.text
    p.waitFor()
  }
  help[sub]
}
List<String> report = []
for (Block b : blocks.findAll { it.attrs.synopsis }) {
  for (String l : b.body.findAll { it.trim().startsWith('mirage ') }) {
    String sub = l.trim().split(/\s+/)[1]
    String h = mirageHelp(sub)
    if (h.contains('Unknown') || h.contains('Unmatched') || h.contains('unknown command')) {
      problems << "${b.file}:${b.line}: mirage ${sub}: no such command"
      continue
    }
    (l =~ /(?<![\w-])(--?[a-zA-Z][\w-]*)/).each { m ->
      String opt = m[1]
      if (opt in ['--KEY']) { return }
      if (!(h =~ /(?<![\w-])${java.util.regex.Pattern.quote(opt)}(?![\w-])/).find()) {
        problems << "${b.file}:${b.line}: mirage ${sub} has no option ${opt} (its --help does not show it)"
      }
    }
  }
  report << "synopsis ${b.file}:${b.line}"
}
for (Block b : blocks.findAll { it.attrs['covered-by'] }) {
  // covered-by=IT[,IT...]: the commands' -Dmirage.target/arch/keys are each in one of those projects'
  // goals, and a sample's directory is in its samples.txt (a project of one's own: the archetype)
  List<String> names = b.attrs['covered-by'].split(',') as List
  List<File> its = names.collect { new File(itSources, it) }
  File missing = its.find { !new File(it, 'invoker.properties').isFile() }
  if (missing) {
    problems << "${b.file}:${b.line}: covered-by: no it/ project ${missing.name}"
    continue
  }
  String sample = b.attrs.dir?.startsWith('samples/') ? Paths.get(b.attrs.dir).fileName.toString() : null
  List<File> building = its.findAll { f ->
    List<File> t = ['samples.txt', 'xen-samples.txt'].collect { new File(f, it) }.findAll { it.isFile() }
    sample == null || t.isEmpty() || t.any { it.readLines()*.trim().contains(sample) }
  }
  if (building.isEmpty()) {
    problems << "${b.file}:${b.line}: covered-by=${b.attrs['covered-by']}, none of which builds ${sample}"
    continue
  }
  String goals = building.collect { new File(it, 'invoker.properties').text }.join('\n')
  for (String l : b.body.findAll { COMMAND.matcher(it).find() }) {
    (l.replaceAll(/#.*/, '') =~ /-D(mirage\.(?:target|arch|keys|boot))=(\S+)/).each { m ->
      if (!goals.contains("-D${m[1]}=${m[2]}")) {
        problems << "${b.file}:${b.line}: covered-by=${b.attrs['covered-by']}: no build there has -D${m[1]}=${m[2]}"
      }
    }
  }
  report << "covered  ${b.file}:${b.line} by it/${names.join(', it/')}"
}
for (Block b : blocks.findAll { it.attrs.skip }) {
  report << "skipped  ${b.file}:${b.line}: ${b.attrs.skip}"
}

// ---- running the blocks
String prelude = '''
set -e
doc_wait_port() {   # until 127.0.0.1:$1 accepts connections (at most 5 minutes)
  i=0
  until (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 1500 ] || { echo "doc-test: nothing listens on port $1" >&2; return 1; }
    sleep 0.2
  done
}
doc_serve() {       # $1: the server's pid, $2: a URL that must answer 200 (at most 5 minutes)
  i=0
  until curl -sf -o /dev/null --max-time 10 "$2"; do
    kill -0 "$1" 2>/dev/null || { echo "doc-test: the server ended before $2 answered" >&2; return 1; }
    i=$((i + 1)); [ $i -lt 300 ] || { echo "doc-test: $2 did not answer 200" >&2; return 1; }
    sleep 1
  done
  echo "doc-test: $2 answered 200"
  kill -TERM "$1"
  status=0; wait "$1" || status=$?
  case $status in 0|130|143) ;; *) echo "doc-test: the server exited with status $status" >&2; return 1 ;; esac
}
doc_status() {      # $1: the status an HTTP response must have; the rest: the curl -i command
  want=$1; shift
  out=$("$@")
  printf '%s\\n' "$out"
  printf '%s\\n' "$out" | head -n 1 | grep -q " $want" || { echo "doc-test: expected status $want" >&2; return 1; }
}
'''
def script = { Block b ->
  List<String> joined = []
  String acc = ''
  // a block with prompts ($ command) shows output too: only the prompted lines are commands
  List<String> body = b.body.any { it.startsWith('$ ') } ? b.body.findAll { it.startsWith('$ ') }*.substring(2) : b.body
  for (String l : body) {
    if (l.endsWith('\\')) { acc += l.substring(0, l.length() - 1) + ' '; continue }
    joined << acc + l
    acc = ''
  }
  StringBuilder s = new StringBuilder(prelude)
  for (int i = 0; i < joined.size(); i++) {
    String l = joined[i].replace('/tmp/', work.resolve('tmp').toString() + '/')
    int hash = l.indexOf(' #')
    String cmd = (hash >= 0 ? l.substring(0, hash) : l).trim()
    String comment = hash >= 0 ? l.substring(hash + 2).trim() : ''
    if (cmd.isEmpty()) { continue }
    s.append("echo '+ ").append(cmd.replace("'", "'\\''")).append("'\n")
    if (comment.contains('Ctrl-C stops it')) {
      def url = (comment =~ /https?:\/\/localhost:\d+\/\S*/)
      assert url.find() : "${b.file}:${b.line}: a server line names no http://localhost:PORT/ to check: ${l}"
      s.append(cmd).append(' &\n').append("doc_serve \$! '").append(url.group().replace('localhost', '127.0.0.1')).append("'\n")
    } else if (cmd.endsWith('&')) {
      s.append(cmd).append('\n')
      String port = null
      for (int j = i + 1; j < joined.size() && port == null; j++) {
        def m = joined[j] =~ /https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)/
        if (m.find()) { port = m.group(1) }
      }
      if (port == null) {
        def m = cmd =~ /--port=(\d+)/
        port = m.find() ? m.group(1) : null
      }
      s.append(port ? "doc_wait_port ${port}\n" : "sleep 2\n")
    } else if (comment =~ /^exits \d+\b/) {
      // a command whose comment says it "exits N" (a program reporting a failure) must exit with N
      String want = (comment =~ /^exits (\d+)/)[0][1]
      s.append("status=0; ").append(cmd).append(" || status=\$?\n")
       .append("[ \$status = ${want} ] || { echo \"doc-test: expected exit status ${want}, got \$status\" >&2; exit 1; }\n")
    } else if (cmd.startsWith('curl ') && cmd.contains(' -i') && comment =~ /^\d{3}\b/) {
      s.append("doc_status ${(comment =~ /^\d{3}/)[0]} ").append(cmd).append('\n')
    } else {
      s.append(cmd).append('\n')
    }
  }
  s.toString()
}

if (blocks.any { b -> b.attrs.dir && !b.attrs['covered-by'] && !b.attrs.skip && b.body.any { it.contains('curl') } }) {
  assert ensure('curl', 'curl') : 'curl is needed to check the documented servers (Debian: curl)'
}
ensure('nc', 'netcat-openbsd')
ensure('busybox', 'busybox')
ensure('openssl', 'openssl')
ensure('dot', 'graphviz')

int run = 0
long started = System.nanoTime()
for (Block b : blocks.findAll { it.attrs.dir && !it.attrs['covered-by'] && !it.attrs.skip }) {
  String dirName = b.attrs.dir
  Path dir = dirName.startsWith('/tmp/') ? work.resolve('tmp').resolve(dirName.substring(5)) : work.resolve(dirName)
  if (!Files.isDirectory(dir)) {
    problems << "${b.file}:${b.line}: dir=${dirName} does not exist (here: ${dir})"
    continue
  }
  String ns = null
  if (b.attrs.netns) {
    if (!isRoot || !new File('/dev/net/tun').exists()) {
      report << "skipped  ${b.file}:${b.line}: it runs in a network namespace, which needs root and /dev/net/tun"
      continue
    }
    ns = 'm4j-doc-' + ProcessHandle.current().pid() + '-' + b.line
    ['ip netns add ' + ns, "ip -n ${ns} link set lo up"].each { c ->
      def p = c.execute(); p.waitFor(); assert p.exitValue() == 0 : "${c}: ${p.err.text}"
    }
  }
  Path file = work.resolve(".doc-${b.file.replace('/', '_')}-${b.line}.sh")
  Files.writeString(file, script(b))
  List<String> cmd = ['setsid', 'bash', file.toString()]
  if (ns) { cmd = ['ip', 'netns', 'exec', ns] + cmd }
  ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
  pb.environment().putAll(env)
  long t0 = System.nanoTime()
  Process p = pb.start()
  StringBuffer out = new StringBuffer()
  Thread pump = Thread.start { p.inputStream.eachLine { out.append(it).append('\n') } }
  boolean ended = p.waitFor(20, TimeUnit.MINUTES)
  // the block's process group: servers it left, and QEMU under a stopped Maven. `--` is needed:
  // procps-ng 4.0.2's kill reads `kill -KILL -PGID` as kill(-1, SIGKILL), every process there is
  ['kill', '-s', 'KILL', '--', "-${p.pid()}"].execute().waitFor()
  if (!ended) { p.waitFor(30, TimeUnit.SECONDS) }
  pump.join(10000)
  if (ns) { "ip netns del ${ns}".execute().waitFor() }
  long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)
  new File(basedir, "doc-${b.file.replace('/', '_')}-${b.line}.log").text = out.toString()
  int commands = b.body.count { it.trim() && !it.trim().startsWith('#') } as int
  if (!ended || p.exitValue() != 0) {
    String tail = out.toString().readLines().takeRight(40).join('\n')
    problems << "${b.file}:${b.line}: ${ended ? 'exit status ' + p.exitValue() : 'still running after 20 minutes'} in ${dirName}:\n${tail}"
  } else {
    report << "ran      ${b.file}:${b.line} in ${dirName}: ${commands} commands, ${secs} s"
    run++
  }
}
report.each { println "documented-commands: ${it}" }
println "documented-commands: ${run} blocks ran in ${TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)} s"
assert problems.isEmpty() : "\n" + problems.join('\n')
println 'documented-commands: every documented command worked'
