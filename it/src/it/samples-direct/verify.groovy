// package -Dmirage.keys=net=direct passed with the samples' tests, which ran the direct stack in a
// namespace (or skipped, with the reason printed, where this machine cannot make one)
String log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
boolean canMakeNamespaces = 'root' == System.getProperty('user.name') && new File('/dev/net/tun').exists()
for (String sample : ['slides', 'network']) {
  File props = new File(basedir, "${sample}/target/mirage/unikernel.properties")
  assert props.text.contains('org.mirage4j:mirage4j-driver-tap') : "${sample} was not built with the direct stack"
  File[] reports = new File(basedir, "${sample}/target/surefire-reports").listFiles().findAll { it.name.endsWith('.txt') }
  assert reports : "no test reports for ${sample}"
  for (File r : reports) {
    def m = r.text =~ /Tests run: (\d+), Failures: 0, Errors: 0, Skipped: (\d+)/
    assert m.find() : r.text
    assert (m.group(1) as int) > 0
    if (canMakeNamespaces) {
      assert (m.group(2) as int) == 0 : "${r.name}: skipped on a machine that can make namespaces\n${log}"
    }
  }
}
if (!canMakeNamespaces) {
  assert log.contains('SKIPPED: net=direct')
}
return true
