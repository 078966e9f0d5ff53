// Shared by the guests-* projects' prebuild.groovy: turns the project into the repository's own
// samples, as a user has them, built for one guest target. samples/pom.xml becomes the project's
// pom (with only the samples named in samples.txt and xen-samples.txt as modules), and each sample's directory is
// copied next to it, without its target/ (nor node_modules/: the slides' build runs npm ci itself).
import java.nio.file.*

Path project = basedir.toPath()
Path samples = new File(samplesDir).toPath()
// samples.txt: those booted under QEMU; xen-samples.txt (if any): those booted on Xen in a box
def listed = { String f -> File t = new File(basedir, f); t.isFile() ? t.readLines()*.trim().findAll { it && !it.startsWith('#') } : [] }
List<String> names = (listed('samples.txt') + listed('xen-samples.txt')).unique()
String pom = samples.resolve('pom.xml').toFile().text
pom = pom.replaceFirst(/(?s)<modules>.*?<\/modules>/,
    '<modules>\n' + names.collect { "    <module>${it}</module>" }.join('\n') + '\n  </modules>')
project.resolve('pom.xml').toFile().text = pom
for (String name : names) {
  Path from = samples.resolve(name)
  Files.walk(from).withCloseable { walk ->
    walk.filter { p -> String rel = from.relativize(p).toString(); !rel.startsWith('target') && !rel.startsWith('node_modules') }.each { Path p ->
      Path to = project.resolve(name).resolve(from.relativize(p).toString())
      if (Files.isDirectory(p)) {
        Files.createDirectories(to)
      } else {
        Files.createDirectories(to.parent)
        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING)
      }
    }
  }
}
// every .xl of the generator's golden files (one generated tree per case and target), for a Xen
// box's dom0 to check with xl -N create when the build passes -Dmirage.xlCheckDir=../xl-check
Path golden = samples.resolve('../generator/src/test/resources/golden').normalize()
Path check = project.resolve('xl-check')
Files.walk(golden).withCloseable { walk ->
  walk.filter { p -> p.toString().endsWith('.xl') }.each { Path p ->
    Path to = check.resolve(golden.relativize(p).toString())
    Files.createDirectories(to.parent)
    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING)
  }
}
return true
