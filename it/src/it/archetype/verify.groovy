import groovy.io.FileType
String log = new File(basedir, 'build.log').text
assert !log.contains('BUILD FAILURE')
// the archetype's project, last built for arm (armv7): its guest artifacts next to the .xl
for (String f : ['greeter.xl', 'greeter.vmlinuz', 'greeter.initrd', 'greeter.guest']) {
  assert new File(basedir, "greeter/target/mirage/arm/${f}").isFile() : f
}
assert !new File(basedir, 'greeter/target/mirage/xen').exists() : 'the previous target\'s artifacts were left'
assert new File(basedir, 'greeter/mirage-guest.lock').isFile() : 'no lock of the guest parts for the user to commit'
// before that, booted as a Xen guest under QEMU: the job ran in the guest and its exit ended the boot
String boot = log.substring(log.indexOf(':boot (default-cli)'), log.indexOf('the unikernel exited with status 0'))
assert boot.readLines().count { it.trim().endsWith('hello') } >= 2 : boot
for (String name : ['greeter', 'initialized']) {
  File project = new File(basedir, name)
  File jar = new File(project, "target/${name}.jar")
  assert jar.isFile() : "no runnable ${jar}"
  if (name == 'greeter') {
    // built for arm last: no unix launcher, the jar runs all the same
    Process p = new ProcessBuilder("${javaHome}/bin/java", '-jar', jar.path, '--times=1').start()
    assert p.inputStream.text.readLines() == ['hello']
    assert p.waitFor() == 0
    continue
  }
  assert new File(project, "target/mirage/unix/${name}").canExecute()
  // the user's own test ran (and passed: the build did not fail)
  assert new File(project, 'target/surefire-reports').listFiles().any { it.name.contains('GreeterTest') }
  // the runnable jar and the launcher run the job with its options
  Process p = new ProcessBuilder("${javaHome}/bin/java", '-jar', jar.path, '--times=3', '--greeting=hi').start()
  def out = p.inputStream.text
  assert p.waitFor() == 0
  assert out.readLines() == ['hi', 'hi', 'hi'] : out
  ProcessBuilder launcher = new ProcessBuilder(new File(project, "target/mirage/unix/${name}").path, '--times=1')
  launcher.environment().put('JAVA', "${javaHome}/bin/java".toString())
  Process q = launcher.start()
  assert q.inputStream.text.readLines() == ['hello']
  assert q.waitFor() == 0
}
// mirage init's project has the repository's Maven wrapper, executable: it needs only a JDK
Process w = new ProcessBuilder(new File(basedir, 'initialized/mvnw').path, '--version')
    .directory(new File(basedir, 'initialized')).redirectErrorStream(true).start()
String wout = w.inputStream.text
assert w.waitFor() == 0 : wout
assert wout.contains('Apache Maven 3.9.9') : wout
assert new File(basedir, 'greeter/mvnw').isFile() && new File(basedir, 'greeter/.mvn/wrapper/maven-wrapper.properties').isFile()
// the archetype and mirage init wrote the same files (but for the names)
def files = { File root -> def s = new TreeSet<String>(); root.eachFileRecurse(FileType.FILES) { f ->
  String rel = root.toPath().relativize(f.toPath()).toString()
  if (!rel.startsWith('target') && rel != 'mirage-guest.lock') s << rel.replace('initialized', 'NAME').replace('greeter', 'NAME') }; s }
assert files(new File(basedir, 'greeter')) == files(new File(basedir, 'initialized'))
return true
