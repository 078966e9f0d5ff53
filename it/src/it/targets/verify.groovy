// Checks the seven invocations of invoker.properties, then that the CLI writes the same files.
import groovy.io.FileType

File log = new File(basedir, 'build.log')
String text = log.text
File t = new File(basedir, 'target')

// 1 generated for unix, 2 was a no-op, 3 regenerated after a dependency was added, 4 after the
// config changed, 5 xen, 6 arm
def generated = (text =~ /mirage: generated greeter for (\w+)/).collect { it[1] }
assert generated == ['unix', 'unix', 'unix', 'xen', 'arm'] : "generations in build.log: ${generated}"
def upToDate = (text =~ /mirage: config\.mirage for unix is up to date/).count
assert upToDate == 1 : "'up to date' ${upToDate} times"
assert !text.contains('BUILD FAILURE')

// the class path file for the language server (docs/editors.md): own classes first, then the jars
List<String> cp = new File(t, 'mirage/classpath.txt').readLines().findAll { !it.startsWith('#') }
assert cp[0] == new File(t, 'classes').canonicalPath : "first class path entry: ${cp[0]}"
assert cp.any { it.contains('mirage4j-runtime-api') } : "runtime-api missing from ${cp}"

// the last target's artifacts, and nothing of the previous targets
assert new File(t, 'mirage/arm/greeter.xl').isFile()
assert new File(t, 'mirage/arm/greeter.xl.in').isFile()
assert new File(t, 'mirage/arm/greeter.libvirt.xml').isFile()
String xl = new File(t, 'mirage/arm/greeter.xl').text
assert xl.contains("Debian's Linux (zImage)") : 'not an armv7 guest'
assert xl.contains("kernel = 'greeter.vmlinuz'") && xl.contains("ramdisk = 'greeter.initrd'")
assert xl.contains('gic_version')
assert xl.contains('disk.img') : 'the block device has no disk line'
assert !new File(t, 'mirage/unix').exists() : 'the unix launcher lingers after switching target'
assert !new File(t, 'mirage/xen').exists() : 'the xen artifacts linger after switching target'

// the wiring of the changed configuration, compiled with the job and the crunched store
String wiring = new File(t, 'generated-sources/mirage/org/mirage4j/generated/GreeterUnikernel.java').text
assert wiring.contains('bonjour') : 'the changed config was not regenerated'
assert new File(t, 'classes/org/mirage4j/generated/GreeterUnikernel.class').isFile()
assert new File(t, 'classes/org/example/greeter/Greeter.class').isFile()
assert new File(t, 'classes/META-INF/mirage/crunch/data/index.tsv').isFile()
assert new File(t, 'classes/META-INF/mirage/crunch/data/files/secret.txt').isFile()
assert new File(t, 'greeter-1.0.jar').isFile()

// the CLI, given the same input, writes the same files
def run = { List<String> args ->
  def cmd = ["${javaHome}/bin/java", '-jar', cliJar] + args
  Process p = new ProcessBuilder(cmd.collect { it.toString() }).directory(basedir).start()
  def out = new StringBuilder(), err = new StringBuilder()
  p.waitForProcessOutput(out, err)
  [p.exitValue(), out.toString(), err.toString()]
}
def (status, out, err) = run(['configure', '-t', 'arm', '--arch=armv7', '--app-version=1.0', '-o', 'target/cli-out'])
assert status == 0 : "mirage configure exited ${status}: ${err}"
def tree = { File root, File build ->
  def files = new TreeMap<String, String>()
  if (root.exists()) {
    root.eachFileRecurse(FileType.FILES) { f ->
      String content = f.name.endsWith('.libvirt.xml') ? f.text.replace(build.canonicalPath, '/BUILD') : f.text
      String rel = root.toPath().relativize(f.toPath()).toString()
      // the build information lists the libraries of the class path each was given (the CLI: none)
      if (rel != 'META-INF/mirage/app-info.tsv') {
        files[rel] = content
      }
    }
  }
  files
}
File cli = new File(t, 'cli-out')
for (String dir : ['generated-sources/mirage', 'generated-resources/mirage', 'mirage/arm']) {
  // the libvirt domain names its files by absolute path: the same but for the build directory
  def plugin = tree(new File(t, dir), t)
  def mine = tree(new File(cli, dir), cli)
  assert !plugin.isEmpty() : "nothing in target/${dir}"
  assert plugin == mine : "target/${dir} and the CLI's differ: ${plugin.keySet()} vs ${mine.keySet()}"
}
def record = { File f -> f.text.replaceAll(/((?:\.libvirt\.xml|app-info\.tsv)\t)[0-9a-f]{64}/, '$1DIGEST') }
assert record(new File(t, 'mirage/generated-files.tsv')) == record(new File(cli, 'mirage/generated-files.tsv'))

// 7: mirage:describe -Dmirage.dot
File dot = new File(t, 'mirage/greeter-arm.dot')
assert dot.isFile() : 'no DOT file'
String graph = dot.text
assert graph.startsWith('digraph "greeter" {')
assert graph.contains('"j:Greeter" -> "d:disk" [label="arg2"];')
assert graph.contains('xen_block')
boolean haveDot = System.getenv('PATH').split(File.pathSeparator).any { new File(it, 'dot').canExecute() }
assert new File(t, 'mirage/greeter-arm.svg').isFile() == haveDot
// describe does not touch the generated files
assert new File(t, 'mirage/arm/greeter.xl').isFile()
return true
