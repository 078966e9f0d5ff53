String text = new File(basedir, 'build.log').text
assert text.contains('Using the MultiThreadedBuilder') || text.contains('with a thread count of 4') : 'not a parallel build'
assert !text.contains('is not marked as thread-safe') && !text.contains('NOT thread-safe') : 'the plugin is not thread-safe'
assert text.contains('mirage: generated one for unix')
assert text.contains('mirage: generated two for xen')
assert new File(basedir, 'app-one/target/classes/org/mirage4j/generated/OneUnikernel.class').isFile()
assert new File(basedir, 'app-one/target/mirage/unix/one').isFile()
assert new File(basedir, 'app-one/target/app-one-1.0.jar').isFile()
assert new File(basedir, 'app-two/target/classes/org/mirage4j/generated/TwoUnikernel.class').isFile()
assert new File(basedir, 'app-two/target/classes/META-INF/mirage/crunch/htdocs/files/index.html').isFile()
assert new File(basedir, 'app-two/target/mirage/xen/two.xl').isFile()
assert new File(basedir, 'app-two/target/app-two-1.0.jar').isFile()
// mirage:describe: the text tree of each module (the parent has no config and is skipped)
assert text.contains('mirage: no config.mirage in this pom project, skipped')
assert text.contains('[INFO] unikernel one (target unix, arch x86_64, config.mirage:1:1)')
assert text.contains('[INFO] job One = org.example.one.One  [config.mirage:3:1]')
assert text.contains('[INFO] unikernel two (target xen, arch x86_64, config.mirage:1:1)')
assert text =~ /\[INFO\]   arg1: site : kv_ro = crunch \[org\.mirage4j\.drivers\.kv\.CrunchKvRo\]/
return true
