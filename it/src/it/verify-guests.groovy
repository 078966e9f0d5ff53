// Shared by the guests-* projects: every sample's guest test ran (booted, not skipped) and passed,
// under QEMU for those in samples.txt and on Xen in a box for those in xen-samples.txt (failsafe
// writes each boot's reports to target/failsafe-reports-<mirage.boot>).
String log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert !log.contains('BUILD FAILURE')
def listed = { String f -> File t = new File(basedir, f); t.isFile() ? t.readLines()*.trim().findAll { it && !it.startsWith('#') } : [] }
def checked = { String name, String boot ->
  File reports = new File(basedir, "${name}/target/failsafe-reports-${boot}")
  assert reports.isDirectory() : "${name}: no guest test ran with mirage.boot=${boot}"
  def results = reports.listFiles().findAll { it.name.endsWith('.txt') && !it.name.endsWith('-output.txt') }*.text.join('\n')
  if (results.contains('Skipped: 1')) {
    // a machine that cannot boot the guest: the test said why, and so does this one
    def output = reports.listFiles().findAll { it.name.endsWith('-output.txt') }*.text.join('\n')
    def reason = output.readLines().find { it.startsWith('SKIPPED: ') }
    assert reason : "${name} (${boot}): its guest test was skipped without a reason"
    println "${name} (${boot}): guest test skipped: ${reason}"
  } else {
    assert results.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : "${name} (${boot}): its guest test did not pass: ${results}"
  }
  assert new File(basedir, "${name}/target/mirage").listFiles().any { dir -> dir.listFiles().any { it.name.endsWith('.initrd') } }
}
listed('samples.txt').each { checked(it, 'qemu') }
listed('xen-samples.txt').each { checked(it, 'xen') }
return true
