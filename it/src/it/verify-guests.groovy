// Shared by the guests-* projects: every sample's guest test ran (booted, not skipped) and passed.
String log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
List<String> names = new File(basedir, 'samples.txt').readLines()*.trim().findAll { it && !it.startsWith('#') }
for (String name : names) {
  File reports = new File(basedir, "${name}/target/failsafe-reports")
  def results = reports.listFiles().findAll { it.name.endsWith('.txt') }*.text.join('\n')
  if (results.contains('Skipped: 1')) {
    // a machine that cannot boot the guest: the test said why, and so does this one
    def output = reports.listFiles().findAll { it.name.endsWith('-output.txt') }*.text.join('\n')
    def reason = output.readLines().find { it.startsWith('SKIPPED: ') }
    assert reason : "${name}: its guest test was skipped without a reason"
    println "${name}: guest test skipped: ${reason}"
  } else {
    assert results.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : "${name}: its guest test did not pass: ${results}"
  }
  assert new File(basedir, "${name}/target/mirage").listFiles().any { dir -> dir.listFiles().any { it.name.endsWith('.initrd') } }
}
return true
