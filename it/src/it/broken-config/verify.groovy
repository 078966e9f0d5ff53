// The build fails with every problem as file:line:col, and no stack trace; the CLI says the same.
String text = new File(basedir, 'build.log').text
def expected = [
  "config.mirage:8:33: error: unknown device, key or driver 'default_consol'; did you mean 'default_console'?",
  "config.mirage:9:21: error: block expects a 'string' as argument 1 (file), but 'store' is a 'kv_ro'",
]
for (String line : expected) {
  assert text.contains('[ERROR] ' + line + '\n') || text.contains('[ERROR] ' + line + '\r\n') : "missing in build.log: ${line}"
}
assert text.contains("[WARNING] config.mirage:9:8: warning: device 'disk' is never used")
assert text.contains('mirage:generate: 2 errors in config.mirage')
assert !(text =~ /(?m)^\s+at [a-z]+\./) : 'a stack trace in build.log'
assert !(text =~ /[A-Za-z]+(Exception|Error):/) : 'an exception in build.log'
assert !new File(basedir, 'target/generated-sources/mirage').exists()

// mirage check (through bin/mirage): exit 1, the same lines on stderr and nothing else
ProcessBuilder pb = new ProcessBuilder(['sh', mirageScript, 'check', 'config.mirage'].collect { it.toString() })
    .directory(basedir)
pb.environment().put('JAVA', "${javaHome}/bin/java".toString())
Process p = pb.start()
def out = new StringBuilder(), err = new StringBuilder()
p.waitForProcessOutput(out, err)
assert p.exitValue() == 1
assert out.toString().isEmpty()
assert err.toString().readLines() == [
  expected[0],
  "config.mirage:9:8: warning: device 'disk' is never used; remove it or pass it to a job",
  expected[1],
]
return true
