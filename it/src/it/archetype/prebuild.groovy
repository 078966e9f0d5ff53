// mirage init writes the same project as the archetype, from the same templates
def cmd = ["${javaHome}/bin/java", '-jar', cliJar, 'init', 'initialized', '-d', new File(basedir, 'initialized').path,
           '--group', 'com.example']
Process p = new ProcessBuilder(cmd.collect { it.toString() }).redirectErrorStream(true).start()
def out = p.inputStream.text
assert p.waitFor() == 0 : "mirage init failed: ${out}"
assert out.contains('created') : out
return true
