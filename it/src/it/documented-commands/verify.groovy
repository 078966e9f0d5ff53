// The commands ran in this project's own build (run-docs.groovy, through exec:exec): it failed,
// naming each block that did not work, or printed what ran.
String log = new File(basedir, 'build.log').text
assert log.contains('documented-commands: every documented command worked') : 'run-docs.groovy did not finish'
assert log =~ /documented-commands: \d+ blocks ran in \d+ s/
return true
