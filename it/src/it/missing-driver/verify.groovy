// generation fails at generate-sources, naming each missing driver where the configuration uses it
// and the artifact to add; the job class (compiled later, by javac) is not reported missing
String log = new File(basedir, 'build.log').text
assert log.contains("config.mirage:5:15: error: driver 'stack_http_server' needs class org.mirage4j.drivers.http.StackHttpServer, which is not on the classpath nor in the project's sources; add the dependency org.mirage4j:mirage4j-driver-http") : log
assert log.contains("config.mirage:5:27: error: driver 'socket_stack' needs class org.mirage4j.drivers.socket.SocketStack, which is not on the classpath nor in the project's sources; add the dependency org.mirage4j:mirage4j-driver-socket-stack") : log
assert log.contains('mirage:generate: 2 errors in config.mirage') : log
// ... followed by the exact elements to add to the pom (the BOM gives their versions)
assert log.contains('''[ERROR] add to the pom's <dependencies> (the versions of mirage4j's artifacts come from mirage4j-bom):
[ERROR]     <dependency>
[ERROR]       <groupId>org.mirage4j</groupId>
[ERROR]       <artifactId>mirage4j-driver-http</artifactId>
[ERROR]     </dependency>
[ERROR]     <dependency>
[ERROR]       <groupId>org.mirage4j</groupId>
[ERROR]       <artifactId>mirage4j-driver-socket-stack</artifactId>
[ERROR]     </dependency>''') : log
// the second build's mistakes are its settings', each named after them
assert log.contains("[ERROR] mirage.target=unx, mirage.keys=nett=direct: unknown target 'unx'; did you mean 'unix'?") : log
assert log.contains("mirage:generate: 1 error in the build's settings (-Dmirage.target, -Dmirage.arch, -Dmirage.keys, or the plugin's <target>, <arch>, <keys>)") : log
assert !log.contains('config.mirage:1:11') : 'a command-line mistake reported at the unikernel'
assert !log.contains('job class') : 'the project\'s own job reported missing'
assert !log.contains('--- compiler:') : 'the build went on to javac'
assert !log.contains('\tat ') : 'a stack trace in the log'
return true
